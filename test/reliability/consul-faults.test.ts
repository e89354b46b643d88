// What apply survives from Consul, through the CLI against the dev server: 503 bursts, a leaderless
// cluster for a couple of seconds, a writer racing every entry, and Consul restarted mid-apply.
// The rule each time: nothing reported applied that Consul does not hold, nothing lost across a
// restart, anything not applied said so, and the next apply converges.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { liveProtocols, servicesTree, startAsyncProxy, writtenEntry, type AsyncProxy } from './support.ts';

let consul: DevServer;
let proxy: AsyncProxy | undefined;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  proxy = undefined;
});
afterEach(async () => {
  await proxy?.close();
  await consul.close();
});

/** Names the apply report marks as applied (✓). */
const reportedApplied = (out: string) => [...out.matchAll(/^ {2}✓ \w+ service-defaults\/(\S+)$/gm)].map((m) => m[1]);

async function expectConverges(dir: string, names: string[]): Promise<void> {
  const again = await runAgainst(consul.url, applyCommand, [], dir);
  expect(again.code, again.stdout + again.stderr).toBe(0);
  const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], dir);
  expect(plan.code, plan.stdout).toBe(0);
  expect(Object.keys(await liveProtocols(consul.url)).sort()).toEqual(names);
}

const NAMES = Array.from({ length: 10 }, (_, i) => `svc${String(i).padStart(2, '0')}`);

describe('Consul faults during apply', () => {
  it('a burst of 503s mid-apply is retried: every entry applied, exit 0, the next plan has no changes', async () => {
    let armed = false;
    proxy = await startAsyncProxy(
      () => consul.url,
      async (req, body) => {
        if (!armed && writtenEntry(req, body)) {
          armed = true;
          consul.faults.failNext(3, { status: 503, body: 'rpc error making call: rpc error: EOF' });
        }
        return 'forward';
      },
    );
    const dir = tempTree(servicesTree(10));
    const run = await runAgainst(proxy.url, applyCommand, [], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(reportedApplied(run.stdout).sort()).toEqual(NAMES);
    expect(consul.faults.pending).toBe(0);
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.code).toBe(0);
  });

  it('"No cluster leader" for two seconds: what was not applied is said so, nothing is claimed that Consul lacks, the next apply converges', async () => {
    let leaderlessUntil = 0;
    proxy = await startAsyncProxy(
      () => consul.url,
      async (req, body) => {
        if (leaderlessUntil === 0 && writtenEntry(req, body)) leaderlessUntil = Date.now() + 2_000;
        return Date.now() < leaderlessUntil ? { status: 500, body: 'No cluster leader' } : 'forward';
      },
    );
    const dir = tempTree(servicesTree(10));
    const run = await runAgainst(proxy.url, applyCommand, [], dir);
    const live = await liveProtocols(consul.url);
    const claimed = reportedApplied(run.stdout);
    for (const name of claimed) expect(live[name], name).toBe('http');
    if (claimed.length < NAMES.length) {
      expect(run.code).toBe(1);
      for (const name of NAMES.filter((n) => !claimed.includes(n))) expect(run.stdout).toMatch(new RegExp(`service-defaults/${name}: `));
    }
    await expectConverges(dir, NAMES);
  });

  it('a concurrent writer racing every entry: each is a conflict, none is overwritten, exit 1', async () => {
    proxy = await startAsyncProxy(
      () => consul.url,
      async (req, body) => {
        const entry = writtenEntry(req, body);
        if (entry) {
          // The racer lands first, without check-and-set, as a human with `consul config write` would.
          const name = entry.split('/')[1];
          const res = await fetch(`${consul.url}/v1/config`, {
            method: 'PUT',
            body: JSON.stringify({ Kind: 'service-defaults', Name: name, Protocol: 'grpc' }),
          });
          expect(res.status).toBe(200);
        }
        return 'forward';
      },
    );
    const dir = tempTree(servicesTree(10));
    const run = await runAgainst(proxy.url, applyCommand, [], dir);
    expect(run.code).toBe(1);
    expect(reportedApplied(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('10 conflicts');
    expect(Object.values(await liveProtocols(consul.url))).toEqual(NAMES.map(() => 'grpc'));
  });

  it('the dev server restarted mid-apply (state on disk): nothing reported applied is lost, the next apply converges', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'consul-gitops-restart-')), 'state.json');
    await consul.close();
    consul = await startDevServer({ port: 0, host: '127.0.0.1', dataFile });
    const port = consul.port;
    let writes = 0;
    proxy = await startAsyncProxy(
      () => consul.url,
      async (req, body) => {
        if (writtenEntry(req, body) && ++writes === 5) {
          await consul.close();
          // Back 300 ms later on the same port and data; meanwhile this write meets a closed port.
          setTimeout(() => void startDevServer({ port, host: '127.0.0.1', dataFile }).then((s) => (consul = s)), 300);
        }
        return 'forward';
      },
    );
    const dir = tempTree(servicesTree(10));
    const run = await runAgainst(proxy.url, applyCommand, [], dir);
    await new Promise((r) => setTimeout(r, 400));
    const live = await liveProtocols(consul.url);
    for (const name of reportedApplied(run.stdout)) expect(live[name], name).toBe('http');
    if (run.code !== 0) expect(run.stdout).toMatch(/outcome unknown|not attempted|failed/);
    await expectConverges(dir, NAMES);
  });
});
