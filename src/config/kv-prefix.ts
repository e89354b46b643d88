// What a Consul KV prefix for consul-gitops' own state may be (consul-gitops.yaml `stateKeyPrefix`,
// STATE_PREFIX): keys are sent as URL paths, where an empty segment (`/x`, `a//b`) is a `//` Consul's
// HTTP server redirects rather than answers, and `.` or `..` are steps an HTTP client resolves, so
// `../..` left the KV API altogether (404) and the lock and the applied record were never kept.

export const KV_PREFIX_EXPECTED = 'a Consul KV prefix such as consul-gitops/state: "/"-separated parts, none empty, "." or "..", no leading "/"';

/** Whether `prefix` names KV keys as written; one trailing `/` is allowed (it is dropped). */
export function isKvPrefix(prefix: string): boolean {
  const parts = prefix.replace(/\/$/, '').split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\0'));
}
