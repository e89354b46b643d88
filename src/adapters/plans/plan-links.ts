// Capability links to archived plans: `<base>/plans/<id>?expires=<unix s>&sig=<HMAC>`. Reviewers open
// them from a browser without AWS credentials, so the link itself is the permission: the id is 128
// random bits (nothing to enumerate), and the HMAC over id and expiry (a key only consul-gitops
// holds) makes a link that was not issued, or was altered, or has expired, worthless.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 16 random bytes, base64url: the only id shape a request may name (no path, no traversal). */
export const PLAN_ID = /^[A-Za-z0-9_-]{22}$/;
/** How long a link works; the S3 bucket's lifecycle deletes plans after the same time. */
export const PLAN_LINK_DAYS = 30;

export function newPlanId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The signing key, derived from a secret (the dedicated plan-link secret, or in `serve` the webhook
 * secret) so a link's signature never reveals anything about the secret itself and a key made for
 * links signs nothing else.
 */
export function planLinkKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('consul-gitops plan links v1').digest();
}

export class PlanLinks {
  constructor(private readonly key: Buffer) {}

  /** The link to plan `id`, valid until `expires`. `base` is where `/plans/` is served (no trailing slash needed). */
  link(base: string, id: string, expires: Date): string {
    const seconds = Math.floor(expires.getTime() / 1000);
    return `${base.replace(/\/+$/, '')}/plans/${id}?expires=${seconds}&sig=${this.signature(id, seconds)}`;
  }

  /** Whether a request's id, expiry and signature are one this key issued and it is still valid at `now`. */
  verify(id: string, expires: string | undefined, sig: string | undefined, now: Date): boolean {
    if (!PLAN_ID.test(id) || !expires || !/^\d{1,12}$/.test(expires) || !sig || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
    const expected = Buffer.from(this.signature(id, Number(expires)), 'base64url');
    const given = Buffer.from(sig, 'base64url');
    // Constant time: how much of a guessed signature is right never shows in the answer's timing.
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    return valid && Number(expires) * 1000 > now.getTime();
  }

  private signature(id: string, expiresSeconds: number): string {
    return createHmac('sha256', this.key).update(`plans/${id}\n${expiresSeconds}`).digest('base64url');
  }
}
