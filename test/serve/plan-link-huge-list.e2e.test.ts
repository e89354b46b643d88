// A pull request shortening a live entry's list of a couple of hundred thousand elements (written to
// Consul by other means: no file-size limit there), through `serve`: the comment is posted under
// GitHub's limit and the linked full plan prints every removed element. Rendering the whole plan as
// Markdown, to decide whether it fits, once spread those lines as call arguments and overflowed the
// stack (RangeError).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

let h: ServeHarness;
beforeEach(async () => {
  h = await startServeHarness();
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

// Past V8's limit on call arguments (about 120k here); kept near it, as serve under load is slow.
const ADDRESSES = 150_000;
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

const entry = (n: number) => ({
  Kind: 'service-defaults',
  Name: 'external-db',
  Protocol: 'tcp',
  Destination: { Port: 5432, Addresses: Array.from({ length: n }, (_, i) => address(i)) },
});

it('comments on a pull request shortening a huge live list, and the full plan link prints every removed element', async () => {
  const put = await fetch(`${h.consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry(ADDRESSES)) });
  expect(await put.text()).toBe('true');
  h.github.addCommit({ 'config-entries/README.md': 'mesh\n' }, 'base', { branch: 'master' });
  const { head, status } = await h.openPullRequest('external-db', { 'config-entries/external-db.json': JSON.stringify(entry(2)) });
  expect(status).toBe(202);

  expect(h.github.comments).toHaveLength(1);
  const body = h.github.comments[0].body;
  expect(body.length).toBeLessThanOrEqual(65_536);
  expect(body).toContain('service-defaults/external-db');
  expect(h.github.statuses.some((st) => st.sha === head && st.state === 'success')).toBe(true);
  const link = /\[Read the full plan\]\(([^)]+)\)/.exec(body)?.[1];
  expect(link).toBeDefined();
  const plan = await (await fetch(link!)).text();
  expect(plan.match(/^ +- "10\.\d+\.\d+\.\d+",$/gm)).toHaveLength(ADDRESSES - 2);
  expect(plan).toContain(`- "${address(ADDRESSES - 1)}",`);
  expect(plan).toMatch(/^Plan: 0 to create, 1 to update.*, 0 to delete\.$/m);
});
