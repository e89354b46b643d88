// Values a plan never prints: private keys (inline-certificate and file-system-certificate
// `PrivateKey`, or a PEM key pasted anywhere, Meta and Config included) and a jwt-provider's local
// JWKS holding a symmetric or private key. Shown the way Terraform
// shows a sensitive attribute: `(sensitive value)`. Compared before hiding, so a changed key still
// shows as a change.
import { Buffer } from 'node:buffer';
import { setOwn } from '../../model/own-key.ts';

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** A hidden value: prints as `(sensitive value)`, and as that string in JSON. */
export class Sensitive {
  toJSON(): string {
    return '(sensitive value)';
  }
  toString(): string {
    return '(sensitive value)';
  }
}

const HIDDEN = new Sensitive();

/**
 * `value` with every string holding a private key replaced by a Sensitive; other values as they are.
 * Copied only along the way to such a string: a plan's values are read, never changed, and copying
 * every attribute tree of 10,000 changes that holds no key was a sixth of printing the plan.
 */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return (PRIVATE_KEY.test(value) || secretJwks(value) ? HIDDEN : value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = redact(v);
      if (r !== v && !out) out = value.slice(0, i);
      out?.push(r);
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object' && !(value instanceof Sensitive)) {
    const entries = Object.entries(value as Record<string, unknown>);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i];
      const r = redact(v);
      if (r !== v && !out) {
        // The keys before this one, as they were (a key named __proto__ stays an own property).
        out = {};
        for (let j = 0; j < i; j++) setOwn(out, entries[j][0], entries[j][1]);
      }
      if (out) setOwn(out, k, r);
    }
    return (out ?? value) as T;
  }
  return value;
}

/**
 * A jwt-provider's `JSONWebKeySet.Local.JWKS` (base64 of the JWKS JSON) holding a secret: a symmetric
 * key (`"kty": "oct"`, whose `k` is the HMAC secret HS256 tokens are signed with) or a private key's
 * parameter `d`. A JWKS of public keys is shown. Only a string that decodes to JSON starting with `{`
 * (base64 `ey` or `ew`) is decoded.
 */
function secretJwks(s: string): boolean {
  if (s.length < 24 || s.charCodeAt(0) !== 0x65 /* e */ || (s[1] !== 'y' && s[1] !== 'w')) return false;
  let keys: unknown;
  try {
    keys = (JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as { keys?: unknown }).keys;
  } catch {
    return false;
  }
  return Array.isArray(keys) && keys.some((k) => k !== null && typeof k === 'object' && ((k as { kty?: unknown }).kty === 'oct' || 'k' in k || 'd' in k));
}
