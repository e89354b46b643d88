// Redelivered webhooks (same X-GitHub-Delivery) must not do the same work twice, even when they
// land on another container: the ids of recent deliveries are kept in Consul KV under CAS.
import type { StateStore } from '../core/ports.ts';

const KEEP = 200;

/** Records the delivery; false when it was seen before. */
export async function firstDelivery(store: StateStore, key: string, deliveryId: string): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await store.read(key);
    const seen: string[] = current ? (JSON.parse(current.value) as string[]) : [];
    if (seen.includes(deliveryId)) return false;
    const next = [...seen, deliveryId].slice(-KEEP);
    if (await store.write(key, JSON.stringify(next), current?.modifyIndex ?? 0)) return true;
  }
  throw new Error(`could not record delivery ${deliveryId} under ${key}: it kept changing (check-and-set conflicts)`);
}
