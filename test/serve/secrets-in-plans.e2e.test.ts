// A pull request whose config entries quote a secret serve holds (a Consul token pasted into Meta by
// mistake): the plan comment, the commit status and the full plan behind the link show it masked.
// The plans route may be served by another process (the plans function), so the text is masked as
// it is stored, not as it is read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const TOKEN = 'b7e1c2d4-consul-token-from-file';
let h: ServeHarness;
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-token-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  // The token is in a file: serve learns its value only when the Consul client reads it.
  h = await startServeHarness({ env: { CONSUL_HTTP_TOKEN_FILE: join(dir, 'token') } });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const SERVICES = 400;
const name = (i: number) => `svc${String(i).padStart(3, '0')}`;

const entry = (i: number, token: boolean) =>
  `Kind = "service-defaults"\nName = "${name(i)}"\nProtocol = "http"\nMeta = { team = "payments-${i}"${token ? `, token = "${TOKEN}"` : ''} }\n`;

async function openPullRequest(files: Record<string, string>): Promise<string> {
  h.github.addCommit({ 'config-entries/README.md': 'mesh\n' }, 'base', { branch: 'master' });
  const { status } = await h.openPullRequest('onboard', files);
  expect(status).toBe(202);
  expect(h.github.comments).toHaveLength(1);
  return h.github.comments[0].body;
}

it('masks the secret in the plan comment', async () => {
  const body = await openPullRequest({ [`config-entries/${name(0)}.hcl`]: entry(0, true) });
  expect(body).toContain('payments-0');
  expect(body).toContain('[redacted]');
  expect(body).not.toContain(TOKEN);
  expect(h.logs.join('\n')).not.toContain(TOKEN);
});

it('masks the secret in the full plan a long comment links to', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < SERVICES; i++) files[`config-entries/${name(i)}.hcl`] = entry(i, i === SERVICES - 1);
  const body = await openPullRequest(files);
  expect(body).not.toContain(TOKEN);
  const link = /\[Read the full plan\]\((http:\/\/127\.0\.0\.1:\d+\/plans\/[^)]+)\)/.exec(body)?.[1];
  expect(link).toBeDefined();
  const plan = await (await fetch(link!)).text();
  expect(plan).toContain(`payments-${SERVICES - 1}`);
  expect(plan).toContain('[redacted]');
  expect(plan).not.toContain(TOKEN);
});
