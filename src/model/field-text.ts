// The text of a field read from an entry not yet known to be valid: a scalar as Go's %v prints it, nothing for an absent one.
// `String(x ?? '')` on an object would give "[object Object]"; a key or message built from that would be silently wrong.
export function fieldText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}
