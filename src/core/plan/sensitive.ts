// Values a plan never prints: private keys (inline-certificate and file-system-certificate
// `PrivateKey`, or a PEM key pasted anywhere, Meta and Config included). Shown the way Terraform
// shows a sensitive attribute: `(sensitive value)`. Compared before hiding, so a changed key still
// shows as a change.

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

/** `value` with every string holding a private key replaced by a Sensitive; other values as they are. */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return (PRIVATE_KEY.test(value) ? HIDDEN : value) as T;
  if (Array.isArray(value)) return value.map(redact) as T;
  if (value && typeof value === 'object' && !(value instanceof Sensitive)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v);
    return out as T;
  }
  return value;
}
