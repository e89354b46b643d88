// A pull request whose plan passes GitHub's comment limit, through `serve`: the comment stays under
// the limit and links the full plan, the commit status's Details carry the same link, and that link
// (served by serve itself, GET /plans/<id>) returns every change. A link altered, expired or never
// issued is refused, and says nothing of why.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { planLinkKey, PlanLinks } from '../../src/adapters/plans/plan-links.ts';
import { SECRET } from '../functions/webhook/github-examples.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

let h: ServeHarness;
beforeEach(async () => {
  h = await startServeHarness();
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const SERVICES = 400;
const name = (i: number) => `svc${String(i).padStart(3, '0')}`;
function bigTree(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < SERVICES; i++)
    files[`config-entries/${name(i)}.hcl`] =
      `Kind = "service-defaults"\nName = "${name(i)}"\nProtocol = "http"\nMaxInboundConnections = ${i + 1}\nMeta = { team = "payments-${i}" }\n`;
  return files;
}

/** A base commit on master, then a pull request adding `files`, planned by serve; returns its head. */
async function openPullRequest(files: Record<string, string>): Promise<string> {
  h.github.addCommit({ 'config-entries/README.md': 'mesh\n' }, 'base', { branch: 'master' });
  const { head, status } = await h.openPullRequest('onboard', files);
  expect(status).toBe(202);
  return head;
}

it('past the comment limit: a comment under it with the link, the status Details with the same link, and the link returns the whole plan', async () => {
  const head = await openPullRequest(bigTree());

  expect(h.github.comments).toHaveLength(1);
  const body = h.github.comments[0].body;
  expect(body.length).toBeLessThanOrEqual(65_536);
  expect(body).not.toContain('(cut');
  const link = /\[Read the full plan\]\((http:\/\/127\.0\.0\.1:\d+\/plans\/[A-Za-z0-9_-]{22}\?expires=\d+&sig=[A-Za-z0-9_-]{43})\)/.exec(body)?.[1];
  expect(link).toBeDefined();
  const status = h.github.statuses.find((st) => st.sha === head && st.state === 'success');
  expect(status?.target_url).toBe(link);

  const res = await fetch(link!);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const plan = await res.text();
  expect(plan).toContain(`consul-gitops plan for default at ${head}`);
  for (let i = 0; i < SERVICES; i++) expect(plan).toContain(`+ create service-defaults/${name(i)}`);
  expect(plan).toContain(`MaxInboundConnections = ${SERVICES}`);
  expect(plan).toContain(`Plan: ${SERVICES} to create, 0 to update, 0 to delete.`);
});

it('a link altered, expired or never issued is refused with the same words; a plan that fits gets no link', async () => {
  const s = h.serve;
  await openPullRequest(bigTree());
  const link = new URL(/\[Read the full plan\]\(([^)]+)\)/.exec(h.github.comments[0].body)![1]);
  const id = link.pathname.split('/').at(-1)!;
  const expires = Number(link.searchParams.get('expires'));
  const sig = link.searchParams.get('sig')!;
  const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
  const refused = [
    `${s.url}/plans/${id}?expires=${expires}&sig=${flipped}`, // signature altered
    `${s.url}/plans/${id}?expires=${expires + 86_400}&sig=${sig}`, // expiry pushed out
    `${s.url}/plans/${id}?expires=${expires}`, // no signature
    // Signed with the right key, but expired a second ago.
    new PlanLinks(planLinkKey(SECRET)).link(s.url, id, new Date(Date.now() - 1000)),
    // Signed with another key.
    new PlanLinks(planLinkKey('not-the-webhook-secret')).link(s.url, id, new Date(Date.now() + 60_000)),
  ];
  const answers = await Promise.all(
    refused.map(async (u) => {
      const r = await fetch(u);
      return [r.status, await r.text()];
    }),
  );
  expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
    new Set([JSON.stringify([403, 'This plan link is not valid or has expired. The pull request comment links the newest plan.\n'])]),
  );
  // A well-signed link to a plan that was never stored: 404, the storage is only asked after the signature.
  const unknown = new PlanLinks(planLinkKey(SECRET)).link(s.url, 'A'.repeat(22), new Date(Date.now() + 60_000));
  expect((await fetch(unknown)).status).toBe(404);
  expect((await fetch(`${s.url}/plans/..%2Fwebhook?expires=${expires}&sig=${sig}`)).status).toBe(404);
  expect((await fetch(link, { method: 'POST', body: 'x' })).status).toBe(405);

  // A plan that fits in the comment: nothing stored, no link, no Details URL.
  h.github.comments.length = 0;
  const { head } = await h.openPullRequest('small', { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
  expect(h.github.comments.at(-1)!.body).not.toContain('/plans/');
  expect(h.github.statuses.find((st) => st.sha === head && st.state === 'success')?.target_url).toBeUndefined();
});
