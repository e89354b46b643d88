// A bounded memory of webhook deliveries already handed to reconcile, so a redelivery (same
// X-GitHub-Delivery, same body) reaching the same container does no work twice. It is only a first
// line: other containers do not share it, which is why the delivery id and the body's digest also
// travel to reconcile (deliveries.ts).
//
// Kept by the body's digest, not by the delivery id: the signature covers the body only, so anyone
// holding one signed body can send it again under any id. Keyed by id, a replay under the id of a
// real delivery still to come would make us drop that delivery; keyed by body, a replay under a new
// id is known for what it is, and a real delivery (its own body) always gets in.
import { createHash } from 'node:crypto';
import { ConsulGitopsError } from '../../errors.ts';

/** What claim found: a body not seen yet, GitHub's redelivery of one (same id), or the same body under another id. */
export type Claim = { kind: 'new' } | { kind: 'redelivery' } | { kind: 'replay'; firstDeliveryId: string };

/** The digest a delivery is remembered by: SHA-256 of the body's bytes, lower-case hex. */
export function payloadDigest(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * Insertion-ordered map from body digest to the delivery id it first came with; the oldest is
 * forgotten first.
 *
 * @example
 * const recent = new RecentDeliveries(1000);
 * const digest = payloadDigest(body);
 * if (recent.claim(deliveryId, digest).kind === 'new') await invoke(); // otherwise seen before (or in flight)
 */
export class RecentDeliveries {
  readonly #firstIdOf = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new ConsulGitopsError('internal', 'capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Record the body `digest`, delivered as `id`. Claiming before the work keeps concurrent duplicates out too. */
  claim(id: string, digest: string): Claim {
    const first = this.#firstIdOf.get(digest);
    if (first !== undefined) return first === id ? { kind: 'redelivery' } : { kind: 'replay', firstDeliveryId: first };
    this.#firstIdOf.set(digest, id);
    if (this.#firstIdOf.size > this.#capacity) {
      const oldest = this.#firstIdOf.keys().next().value;
      if (oldest !== undefined) this.#firstIdOf.delete(oldest);
    }
    return { kind: 'new' };
  }

  /** Forget `digest`, e.g. when the work it stood for failed and a redelivery should be allowed to retry. */
  release(digest: string): void {
    this.#firstIdOf.delete(digest);
  }

  get size(): number {
    return this.#firstIdOf.size;
  }
}
