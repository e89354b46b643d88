// Redelivered webhooks (same X-GitHub-Delivery) must not do the same work twice, even when they
// land on another container: the ids (and body digests) of deliveries handled to the end are kept in
// Consul KV under CAS. A delivery is recorded only once its run finished, so a run that crashed (and Lambda's own
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

/**
 * One delivery as it is remembered: GitHub's id and, from the webhook, the body's digest. The
 * signature covers the body, not the id: by id alone, a signed body replayed under the id of a real
 * delivery still to come would have that delivery answered "already handled". So a delivery counts as
 * handled when its body was (a redelivery, or a replay under any id); the id alone only for records
 * without a digest (other triggers, and records written before digests were kept).
 */
export interface DeliveryKey {
  id: string;
  digest?: string;
}

const DIGEST_MARK = ' sha256:';

function recordOf(d: DeliveryKey): string {
  return d.digest ? `${d.id}${DIGEST_MARK}${d.digest}` : d.id;
}

function handled(ids: readonly string[], d: DeliveryKey): boolean {
  return ids.some((entry) => {
    const at = entry.lastIndexOf(DIGEST_MARK);
    if (at < 0) return entry === d.id;
    return d.digest ? entry.slice(at + DIGEST_MARK.length) === d.digest : entry.slice(0, at) === d.id;
  });
}

/** A bare id: a delivery without a digest. */
const keyOf = (d: DeliveryKey | string): DeliveryKey => (typeof d === 'string' ? { id: d } : d);

export async function wasDelivered(store: StateStore, key: string, d: DeliveryKey | string): Promise<boolean> {
  return handled((await seen(store, key)).ids, keyOf(d));
}

export async function recordDelivery(store: StateStore, key: string, d: DeliveryKey | string): Promise<void> {
  const delivery = keyOf(d);
  for (let attempt = 0; attempt < 10; attempt++) {
    const { ids, modifyIndex } = await seen(store, key);
    if (handled(ids, delivery)) return;
    if (await store.write(key, JSON.stringify([...ids, recordOf(delivery)].slice(-KEEP)), modifyIndex)) return;
  }
  throw new ConsulGitopsError('state-conflict', `could not record delivery ${delivery.id} under ${key}: it kept changing (check-and-set conflicts)`);
}
