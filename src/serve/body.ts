// Reading webhook bodies under two bounds: one request's size (GitHub's 25 MB), and the bytes held
// in memory across every connection at once (the budget), so many large posts cannot exhaust the
// process. A body that stalls is cut off after an idle timeout.
import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** Bytes of request bodies held at once, across all connections. */
export class BodyBudget {
  #inUse = 0;
  #peak = 0;
  #held = 0;
  #peakHeld = 0;

  constructor(readonly limitBytes: number) {}

  /** Claims `bytes` more; false (nothing claimed) when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.#inUse + bytes > this.limitBytes) return false;
    this.#inUse += bytes;
    this.#peak = Math.max(this.#peak, this.#inUse);
    return true;
  }

  give(bytes: number): void {
    this.#inUse -= bytes;
  }

  /** Bytes actually kept in chunks (always ≤ what was claimed). */
  hold(bytes: number): void {
    this.#held += bytes;
    this.#peakHeld = Math.max(this.#peakHeld, this.#held);
  }

  unhold(bytes: number): void {
    this.#held -= bytes;
  }

  /** What a /metrics-style gauge shows, and what the tests read. */
  stats(): { limitBytes: number; claimedBytes: number; peakClaimedBytes: number; bufferedBytes: number; peakBufferedBytes: number } {
    return {
      limitBytes: this.limitBytes,
      claimedBytes: this.#inUse,
      peakClaimedBytes: this.#peak,
      bufferedBytes: this.#held,
      peakBufferedBytes: this.#peakHeld,
    };
  }
}

export type BodyRead =
  /** `release` gives the body's bytes back to the budget: call it once the body is no longer needed. */
  { kind: 'ok'; body: Buffer; release: () => void } | { kind: 'too-large' } | { kind: 'over-budget' } | { kind: 'idle' } | { kind: 'aborted' };

export interface BodyLimits {
  /** One request's limit. */
  maxBytes: number;
  budget: BodyBudget;
  /** No byte for this long: give up (`idle`). */
  idleTimeoutMs: number;
  /** Called once the body is admitted (within the budget), before any of it is read: the place for `100 Continue`. */
  onAdmitted?: () => void;
}

/**
 * The raw body. A declared Content-Length is claimed from the budget before anything is read (so
 * thirty 24 MB posts are refused at once, not after 700 MB arrived); a chunked body claims as it
 * comes. Everything claimed is given back when the read fails, or by `release` after an `ok`. On any
 * result but `ok` the caller answers with `Connection: close`: the rest of the body is never read.
 */
export function readBody(req: IncomingMessage, declared: number | undefined, limits: BodyLimits): Promise<BodyRead> {
  return new Promise((resolve) => {
    const { budget } = limits;
    const chunks: Buffer[] = [];
    let size = 0;
    let claimed = 0;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      budget.unhold(size);
      budget.give(claimed);
    };
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      if (result.kind !== 'ok') {
        // Stop reading: the connection is closed after the answer, the rest of the body is never read.
        req.on('error', () => undefined).pause();
        chunks.length = 0;
        release();
      }
      resolve(result);
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish({ kind: 'idle' }), limits.idleTimeoutMs);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limits.maxBytes) return finish({ kind: 'too-large' });
      if (size + chunk.length > claimed) {
        const more = size + chunk.length - claimed;
        if (!budget.take(more)) return finish({ kind: 'over-budget' });
        claimed += more;
      }
      chunks.push(chunk);
      size += chunk.length;
      budget.hold(chunk.length);
      armIdle();
    };
    const onEnd = () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      chunks.length = 0;
      finish({ kind: 'ok', body, release });
    };
    const onAbort = () => finish({ kind: 'aborted' });

    if (declared !== undefined) {
      if (declared > limits.maxBytes) return finish({ kind: 'too-large' });
      if (!budget.take(declared)) return finish({ kind: 'over-budget' });
      claimed = declared;
    }
    limits.onAdmitted?.();
    armIdle();
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
