// What the apply tests against a faulty Consul read from a run: which config-entry write a proxied
// request is, and the line about one entry in apply's "Applying:" report.

/** Kind and name of a config-entry write, or undefined for any other request. */
export function written(method: string | undefined, url: string | undefined, body: string): string | undefined {
  if (method !== 'PUT' || (!url?.startsWith('/v1/config?') && url !== '/v1/config')) return undefined;
  const entry = JSON.parse(body) as { Kind: string; Name: string };
  return `${entry.Kind}/${entry.Name}`;
}

/** The line about `what` in the "Applying:" report (the plan above it names the same entries). */
export const entryLine = (out: string, what: string) =>
  out
    .slice(out.indexOf('\nApplying:\n'))
    .split('\n')
    .find((l) => l.includes(` ${what}:`) || l.endsWith(` ${what}`));
