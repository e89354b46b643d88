// apply --commit and apply FILE (from a clean checkout) record the applied commit in Consul KV after
// the writes. When that record fails (Consul went away right after the last write), the command must
// still say that the writes are live and which, not only the record's error: a bare "connect
// ECONNREFUSED" after the plan read as if nothing had been applied. Consul stays gone, so apply's lock
// releases its lease without the pauses between attempts (NO_PAUSES): the same end, 3.75 s sooner.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { NO_PAUSES, runCli, tempTree } from '../support/run-cli.ts';
import { commitAll } from '../support/git-repo.ts';

let consul: DevServer;
let proxy: ConsulProxy;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  // Consul dies when the record of the applied commit is written: every entry write before it landed.
  proxy = await startConsulProxy(consul.url, (req) => (req.method === 'PUT' && req.url?.includes('/last-applied') ? 'die' : 'forward'));
});
afterEach(async () => {
  await proxy.close();
  await consul.close();
});

const files = {
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
  'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
};

async function held(): Promise<string[]> {
  const list = (await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()) as { Name: string }[];
  return list.map((e) => e.Name).sort();
}

describe('the record of an apply fails after the writes', () => {
  it('apply --commit: says the writes are live, names them, and why the record failed; exit 1', async () => {
    const dir = tempTree(files);
    const run = await runCli(['apply', '--consul', proxy.url, '--lock-wait', '0', '--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'], dir, {
      sleep: NO_PAUSES,
    });
    expect(run.code).toBe(1);
    expect(await held()).toEqual(['api', 'web']);
    expect(run.stderr).toContain('applied to Consul, and live now: create service-defaults/api, create service-defaults/web');
    expect(run.stderr).toContain(`then recording commit ${'a'.repeat(12)} as applied under consul-gitops/state/default/last-applied failed: `);
    expect(run.stderr).toContain('ECONNREFUSED');
  });

  it('apply FILE from a clean checkout: the same', async () => {
    const dir = tempTree(files);
    const git = commitAll(dir);
    expect((await runCli(['plan', '--consul', proxy.url, '--out', 'mesh.plan'], dir)).code).toBe(0);
    const commit = git('rev-parse', 'HEAD').trim();
    const run = await runCli(['apply', 'mesh.plan', '--consul', proxy.url, '--lock-wait', '0'], dir, { sleep: NO_PAUSES });
    expect(run.code).toBe(1);
    expect(await held()).toEqual(['api', 'web']);
    expect(run.stderr).toContain('applied to Consul, and live now: create service-defaults/api, create service-defaults/web');
    expect(run.stderr).toContain(`then recording commit ${commit.slice(0, 12)} as applied`);
  });
});
