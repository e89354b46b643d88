// `serve` end to end over loopback HTTP: a signed GitHub webhook → POST /webhook → the in-process
// queue → reconcile → the dev server holds the entries and the GitHub double got a status. Pull
// requests get a plan comment, the timer a drift issue. Real payloads, real signatures.
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServeHandle } from '../../src/serve/server.ts';
import { SECRET, signed, type SignedRequest } from '../functions/webhook/github-examples.ts';
import { pullRequestOpened, pushOf } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { GITHUB_TOKEN } from '../support/serverless-harness.ts';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/api-intentions.yaml':
    'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceIntentions\nmetadata:\n  name: api\nspec:\n  destination:\n    name: api\n  sources:\n    - name: web\n      action: allow\n',
};

let h: ServeHarness;
beforeEach(async () => {
  h = await startServeHarness({ startServe: false });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const start = (options: { scheduleIntervalMs?: number } = {}, env: Record<string, string> = {}) => h.startServe({ ...options, env });

async function post(s: ServeHandle, req: SignedRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function liveEntry(kind: string, name: string): Promise<unknown> {
  const res = await fetch(`${h.consul.url}/v1/config/${kind}/${name}`);
  return res.status === 404 ? undefined : res.json();
}

const runs = (message = 'Reconcile started') => h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message);

describe('serve', () => {
  it('answers /healthz, and 404/405 elsewhere', async () => {
    const s = await start();
    const health = await fetch(`${s.url}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    const get = await fetch(`${s.url}/webhook`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${s.url}/healthz`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('a signed push → 202, entries in Consul and a success status on the commit', async () => {
    const s = await start();
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const res = await post(s, await signed('push', pushOf(sha)));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ outcome: 'accepted', event: 'push' });
    await s.idle();
    expect(await liveEntry('service-defaults', 'api')).toMatchObject({
      MutualTLSMode: 'permissive',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' },
    });
    const statuses = h.github.statuses.filter((st) => st.sha === sha);
    expect(statuses.map((st) => st.state)).toEqual(['pending', 'success']);
    expect(statuses[1]).toMatchObject({ context: 'consul-gitops/default' });
    expect(runs('Reconcile finished')[0]).toMatchObject({ level: 'INFO', target: 'default', mode: 'apply', sha, outcome: 'applied', ok: true });
    // Every line about this delivery, from the answer to the end of its run, carries its id.
    const deliveryId = res.body.deliveryId as string;
    expect(deliveryId).toBeTruthy();
    for (const message of ['Webhook answered', 'Reconcile queued', 'Reconcile started', 'Reconcile finished'])
      for (const line of runs(message)) expect(line).toMatchObject({ correlation_id: deliveryId });
    expect(runs('Reconcile queued')).toHaveLength(1);
    expect(runs('Listening')[0]).not.toHaveProperty('correlation_id');
    const all = h.logs.join('\n');
    expect(all).not.toContain(GITHUB_TOKEN);
    expect(all).not.toContain(SECRET);
  });

  it('LOG_LEVEL=warn keeps the routine lines out and the problems in', async () => {
    const s = await start({}, { LOG_LEVEL: 'WARN' });
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    h.github.fail({ path: /\/git\//, status: 500, times: 100 });
    expect((await post(s, await signed('push', pushOf(sha)))).status).toBe(202);
    await s.idle();
    const levels = h.logs.map((l) => (JSON.parse(l) as { level: string }).level);
    expect(levels).not.toContain('INFO');
    expect(runs('Reconcile failed')).toHaveLength(1);
  });

  it('a tampered body → 401 and no run', async () => {
    const s = await start();
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const req = await signed('push', pushOf(sha));
    const res = await post(s, { ...req, body: req.body.replace('"master"', '"main"') });
    expect(res).toEqual({ status: 401, body: { outcome: 'rejected', reason: 'signature missing or invalid' } });
    await s.idle();
    expect(runs()).toHaveLength(0);
    expect(h.github.statuses).toHaveLength(0);
    expect(await liveEntry('service-defaults', 'api')).toBeUndefined();
  });

  it('a redelivery → 200 duplicate and no second run', async () => {
    const s = await start();
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const req = await signed('push', pushOf(sha), { deliveryId: 'same-delivery' });
    expect((await post(s, req)).status).toBe(202);
    const again = await post(s, req);
    expect(again).toEqual({
      status: 200,
      body: { outcome: 'duplicate', reason: 'delivery already accepted; reconcile not started again', event: 'push', deliveryId: 'same-delivery' },
    });
    await s.idle();
    expect(runs()).toHaveLength(1);
    expect(h.github.statuses.filter((st) => st.sha === sha).map((st) => st.state)).toEqual(['pending', 'success']);
  });

  it('pushes arriving while a run is in progress collapse into one run of the newest commit', async () => {
    // A slow Consul keeps the first run busy while the other pushes arrive.
    await h.close();
    h = await startServeHarness({ consul: { latencyMs: 40 }, startServe: false });
    const s = await start();
    const shas = [1, 2, 3, 4].map((i) =>
      h.github.addCommit({ ...tree, 'config-entries/api.hcl': tree['config-entries/api.hcl'].replace('"api"', `"api${i}"`) }, `c${i}`, { branch: 'master' }),
    );
    for (const sha of shas) expect((await post(s, await signed('push', pushOf(sha)))).status).toBe(202);
    await s.idle();
    expect(runs().map((r) => r.sha)).toEqual([shas[0], shas[3]]);
    expect(await liveEntry('service-defaults', 'api4')).toBeDefined();
  });

  it('a pull request opened → plan only, one comment', async () => {
    const s = await start();
    h.github.addCommit(tree, 'base', { branch: 'master' });
    const changed = { ...tree, 'config-entries/api.hcl': tree['config-entries/api.hcl'].replace('permissive', 'strict') };
    const number = h.github.addPullRequest({ head: 'strict-api', files: changed });
    const head = h.github.refSha('strict-api')!;
    const res = await post(s, await signed('pull_request', pullRequestOpened(h.github, number, 'strict-api')));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ outcome: 'accepted', reason: `plan started for pull request #${number}` });
    await s.idle();
    expect(h.github.comments).toHaveLength(1);
    expect(h.github.comments[0].body).toContain('Plan: 3 to create, 0 to update, 0 to delete.');
    expect(await (await fetch(`${h.consul.url}/v1/config/service-defaults`)).json()).toEqual([]);
    expect(h.github.statuses.find((st) => st.sha === head && st.state === 'success')).toBeDefined();
  });

  it('the schedule → a drift check per target → one drift issue', async () => {
    h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const s = await start({ scheduleIntervalMs: 50 });
    await vi.waitFor(() => expect(h.github.issues).toHaveLength(1), { timeout: 10_000, interval: 20 });
    await s.close();
    expect(h.github.issues).toHaveLength(1);
    expect(h.github.issues[0]).toMatchObject({ state: 'open' });
    expect(h.github.issues[0].body).toContain('3 to create');
    const drift = runs()[0];
    expect(drift).toMatchObject({ mode: 'drift', target: 'default', branch: 'master' });
    expect(String(drift.deliveryId)).toMatch(/^schedule-\d{4}-\d\d-\d\dT/);
  });

  it('no start without GITHUB_REPOSITORY: the configuration error names it, and nothing is scheduled', async () => {
    await expect(h.startServe({ env: { GITHUB_REPOSITORY: undefined, DEFAULT_BRANCH: undefined }, scheduleIntervalMs: 20 })).rejects.toThrow(
      'GITHUB_REPOSITORY: required',
    );
    expect(runs()).toHaveLength(0);
  });

  it('a failing run is logged and the server keeps serving', async () => {
    const s = await start();
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    h.github.fail({ path: /\/git\//, status: 500, times: 100 });
    expect((await post(s, await signed('push', pushOf(sha)))).status).toBe(202);
    await s.idle();
    expect(runs('Reconcile failed')).toEqual([
      expect.objectContaining({ level: 'ERROR', target: 'default', mode: 'apply', sha, error: expect.objectContaining({ name: 'GitHubError' }) }),
    ]);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect(h.logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  it('a body over 25 MB → 413, whether the length is declared or streamed', async () => {
    const s = await start();
    const big = 'x'.repeat(25 * 1024 * 1024 + 1);
    // Headers of a signed delivery (the signature is only checked once the body is in): past them, the size decides.
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` };
    const declared = await fetch(`${s.url}/webhook`, { method: 'POST', headers, body: big }).catch((e: Error) => e);
    if (declared instanceof Error) throw declared;
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ outcome: 'rejected', reason: 'payload exceeds the 25 MB GitHub allows' });

    // Chunked: no content-length, so the limit is enforced while reading. serve answers 413 and
    // closes at once; a client still writing may meet the closed socket (EPIPE, or a reset that
    // drops the 413 from its receive buffer) before it reads the answer: which one comes first is a
    // race on a loaded machine, and both mean the body was refused.
    const url = new URL(`${s.url}/webhook`);
    const status = await new Promise<number | string>((resolve) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 30) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect([413, 'EPIPE', 'ECONNRESET']).toContain(status);

    // A sender that never stops is cut off once the bounded discard runs out.
    const cut = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
        res.resume();
        resolve(`${res.statusCode} ${res.headers.connection}`);
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const pump = () => {
        while (!req.destroyed) if (!req.write(chunk)) return void req.once('drain', pump);
      };
      pump();
    });
    expect(cut).toMatch(/^(EPIPE|ECONNRESET|413 close)$/);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    await s.idle();
    expect(runs()).toHaveLength(0);
  });
});
