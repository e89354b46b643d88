// Redelivered webhooks (same X-GitHub-Delivery) must not do the same work twice, even when they
// land on another container: the ids of deliveries handled to the end are kept in Consul KV under
// CAS. A delivery is recorded only once its run finished, so a run that crashed (and Lambda's own
// retry of it) still gets done.
import type { StateStore } from './ports/config-entry-store.ts';
import { ConsulGitopsError } from '../errors.ts';
import { parseStateJson, StateRecordUnreadableError } from './commit-state.ts';

const KEEP = 200;

const WHAT = 'delivery record';
const fix = (key: string) =>
  `delete the key (\`consul kv delete ${key}\`) and redeliver; only the memory of handled deliveries is lost, so a redelivery of one is run again`;

async function seen(store: StateStore, key: string): Promise<{ ids: string[]; modifyIndex: number }> {
  const current = await store.read(key);
  if (!current) return { ids: [], modifyIndex: 0 };
  const ids = parseStateJson(key, current.value, WHAT, fix(key));
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
    throw new StateRecordUnreadableError(key, WHAT, 'not a JSON list of delivery ids', fix(key));
  return { ids, modifyIndex: current.modifyIndex };
}

export async function wasDelivered(store: StateStore, key: string, deliveryId: string): Promise<boolean> {
  return (await seen(store, key)).ids.includes(deliveryId);
}

export async function recordDelivery(store: StateStore, key: string, deliveryId: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { ids, modifyIndex } = await seen(store, key);
    if (ids.includes(deliveryId)) return;
    if (await store.write(key, JSON.stringify([...ids, deliveryId].slice(-KEEP)), modifyIndex)) return;
  }
  throw new ConsulGitopsError('state-conflict', `could not record delivery ${deliveryId} under ${key}: it kept changing (check-and-set conflicts)`);
}
