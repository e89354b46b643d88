// A bounded memory of webhook deliveries already handed to reconcile, so a redelivery (same
// X-GitHub-Delivery) reaching the same container does no work twice. It is only a first line:
// other containers do not share it, which is why the delivery id also travels to reconcile.
import { ConsulGitopsError } from '../../errors.ts';

/**
 * Insertion-ordered set with a capacity; the oldest id is forgotten first.
 *
 * @example
 * const recent = new RecentDeliveries(1000);
 * if (recent.claim(deliveryId)) await invoke(); // false: seen before (or in flight)
 */
export class RecentDeliveries {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new ConsulGitopsError('internal', 'capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Record `id`; false when it was already recorded. Claiming before the work keeps concurrent duplicates out too. */
  claim(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }

  /** Forget `id`, e.g. when the work it stood for failed and a redelivery should be allowed to retry. */
  release(id: string): void {
    this.#ids.delete(id);
  }

  get size(): number {
    return this.#ids.size;
  }
}
