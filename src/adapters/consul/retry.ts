// Jittered exponential backoff. Time and randomness are injected so tests run instantly and
// deterministically.

export interface RetryPolicy {
  /** Total attempts including the first (1 = never retry). */
  maxAttempts: number;
  /** Upper bound of the first retry's delay. */
  baseDelayMs: number;
  /** Cap on any single delay (also on a server's Retry-After). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000 };

export type Sleep = (ms: number) => Promise<void>;
export type Random = () => number;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delay before retry number `retry` (1 = the first retry): "full jitter", uniformly random in
 * [0, min(maxDelayMs, baseDelayMs·2^(retry-1))], so concurrent reconcilers don't retry in lockstep.
 * A Retry-After from the server raises the delay to at least that value (still capped).
 *
 * @example backoffDelay(3, { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.5) // 200
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: Random, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs));
}

/** `Retry-After` in seconds (HTTP-date form is ignored). */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
