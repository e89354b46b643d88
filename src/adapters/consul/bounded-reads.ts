// One read per namespace, at most a few in flight: a target with `namespaces: all` on a large
// Enterprise must not fire hundreds of catalog requests at one Consul server at once.

/** Namespace reads in flight at once, per fan-out (as envoy-source.ts paces its sidecar scrapes). */
export const NAMESPACE_READ_CONCURRENCY = 8;

/**
 * `fn` of every item, in item order, with at most `limit` running. After a failure no new item
 * starts; once the running ones settle, the failure of the first item in order is thrown as it
 * is (an `incomplete-read` keeps its namespace and request), so the error does not depend on
 * which answer happened to arrive first.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        out[index] = await fn(items[index]);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.length > 0) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
  return out;
}
