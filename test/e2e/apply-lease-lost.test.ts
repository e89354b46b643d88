// An apply whose lease on the target is taken over by another run while it writes (it stalled past
// its lease, or a renewal was refused) stops before its next write: it reports exactly which changes
// it applied and which it did not attempt, and fails (CLI exit 1, a failed commit status). Before,
// the renewal's "lost" was never read and the run kept writing beside the other one. The takeover
// is made in the dev server's KV between two writes (a proxy in front of Consul writes the other
// run's lease before forwarding the first entry write), or by the run's clock passing its lease.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { entryLine, written } from '../support/apply-report.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const LOCK = 'consul-gitops/state/default/lock';
const OTHER = { holder: 'cli other-runner pid 7', expiresAt: '2099-01-01T00:00:00.000Z' };
const files = {
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
  'config-entries/api-intentions.hcl': 'Kind = "service-intentions"\nName = "api"\nSources = [{ Name = "web", Action = "allow" }]\n',
};

let consul: DevServer;
let proxy: ConsulProxy | undefined;
let h: ServeHarness | undefined;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await proxy?.close();
  await h?.close();
  await consul.close();
  [proxy, h] = [undefined, undefined];
});

/** A proxy that, before forwarding the first write of service-defaults/api, gives the lock to another run. */
function takeOverAtFirstWrite(upstream: () => string): Promise<ConsulProxy> {
  let done = false;
  return startConsulProxy(upstream(), async (req, body) => {
    if (!done && written(req.method, req.url, body) === 'service-defaults/api') {
      done = true;
      expect(await (await fetch(`${upstream()}/v1/kv/${LOCK}`, { method: 'PUT', body: JSON.stringify(OTHER) })).text()).toBe('true');
    }
    return 'forward' as const;
  });
}

const status = async (url: string, path: string) => (await fetch(`${url}/v1/config/${path}`)).status;
const lockHolder = async (url: string) =>
  (JSON.parse(Buffer.from(((await (await fetch(`${url}/v1/kv/${LOCK}`)).json()) as { Value: string }[])[0].Value, 'base64').toString()) as { holder: string })
    .holder;

describe('CLI apply, the lease taken over between two writes', () => {
  it('stops before the next write, names what was applied and what not, and exits 1', async () => {
    proxy = await takeOverAtFirstWrite(() => consul.url);
    const run = await runAgainst(proxy.url, applyCommand, ['--lock-wait', '0'], tempTree(files));
    expect(run.code).toBe(1);
    expect(entryLine(run.stdout, 'service-defaults/api')).toBe('  ✓ create service-defaults/api');
    const skipped = entryLine(run.stdout, 'service-intentions/api');
    expect(skipped).toContain('not attempted: this run lost its lease on the target (consul-gitops/state/default/lock is now held by cli other-runner pid 7)');
    expect(skipped).toContain('another run may be writing to this target, so run plan once it finished');
    expect(run.stdout).toContain('Apply: 1 applied, 0 failed, 0 conflicts, 1 not attempted.');
    expect(await status(consul.url, 'service-defaults/api')).toBe(200);
    expect(await status(consul.url, 'service-intentions/api')).toBe(404);
    // The other run's lease is left alone (the release is check-and-set on ours).
    expect(await lockHolder(consul.url)).toBe(OTHER.holder);
  });

  it('stops once its lease has ended by its own clock (a run that stalled past it), before another run is seen', async () => {
    let late = false;
    proxy = await startConsulProxy(consul.url, (req, body) => {
      if (written(req.method, req.url, body) === 'service-defaults/api') late = true;
      return 'forward';
    });
    // The CLI's lease is 10 minutes: after the first write the clock has moved 11 minutes on.
    const start = Date.parse('2026-11-25T12:00:00Z');
    const now = () => new Date(start + (late ? 11 * 60_000 : 0));
    let stdout = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: tempTree(files) };
    const code = await applyCommand(['--lock-wait', '0', '--consul', proxy.url], io, { env: {}, now });
    expect(code).toBe(1);
    expect(entryLine(stdout, 'service-defaults/api')).toBe('  ✓ create service-defaults/api');
    expect(entryLine(stdout, 'service-intentions/api')).toContain(
      "not attempted: this run's lease on the target (consul-gitops/state/default/lock) ended at 2026-11-25T12:10:00.000Z before the apply did, so another run may hold it",
    );
    expect(await status(consul.url, 'service-intentions/api')).toBe(404);
  });
});

describe('a push through serve, the lease taken over between two writes', () => {
  it('fails the commit status naming the change not applied, and logs why', async () => {
    h = await startServeHarness({ startServe: false });
    const harness = h;
    proxy = await takeOverAtFirstWrite(() => harness.consul.url);
    await h.startServe({ env: { CONSUL_HTTP_ADDR: proxy.url } });
    expect(await h.push(files)).toBe(202);
    const last = h.github.statuses.at(-1)!;
    expect(last.state).toBe('failure');
    expect(last.description).toContain('Not applied: service-intentions/api (not attempted)');
    expect(await status(h.consul.url, 'service-defaults/api')).toBe(200);
    expect(await status(h.consul.url, 'service-intentions/api')).toBe(404);
    const finished = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'Reconcile finished');
    expect(finished).toMatchObject({ level: 'WARN', ok: false });
    expect(String(finished?.summary)).toContain('service-intentions/api: not attempted: this run lost its lease on the target');
  });
});
