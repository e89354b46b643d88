// apply through the CLI when Consul stores a write but its answer is lost on the way back and the
// client sends it again. Entry writes: Consul answers an identical write or a delete of what is gone
// with `true` (ConfigEntry.Apply/Delete skip a no-op), so the retry confirms our own first attempt,
// while a retry refused because someone else wrote meanwhile stays a conflict. The target lock: the
// retry of a lease write meets check-and-set saying no, and the lease found must be known as ours,
// not another run's (the run waited for itself and gave up).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { entryLine, written } from '../support/apply-report.ts';

let consul: DevServer;
let proxy: ConsulProxy | undefined;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  proxy = undefined;
});
afterEach(async () => {
  await proxy?.close();
  await consul.close();
});

const defaults = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\n`;
const intentions = (name: string) => `Kind = "service-intentions"\nName = "${name}"\nSources = [{ Name = "web", Action = "allow" }]\n`;

/** A rule that loses the answer of the first request `matches` picks, and forwards everything else. */
function loseFirst(matches: (method: string | undefined, url: string | undefined, body: string) => boolean) {
  let lost = false;
  return (req: { method?: string; url?: string }, body: string) => {
    if (!lost && matches(req.method, req.url, body)) {
      lost = true;
      return 'lose-answer' as const;
    }
    return 'forward' as const;
  };
}

describe('apply when Consul stored a write but the answer was lost', () => {
  it('a create whose first answer is lost and whose retry meets cas=0 "false" is applied (re-read: Consul holds the file), and the rest goes on', async () => {
    proxy = await startConsulProxy(
      consul.url,
      loseFirst((m, u, b) => written(m, u, b) === 'service-defaults/api'),
    );
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api'), 'config-entries/api-intentions.hcl': intentions('api') });
    const run = await runAgainst(proxy.url, applyCommand, ['--lock-wait', '0'], dir);
    // The first attempt reached Consul; the retry was sent again with cas=0 and refused.
    expect(proxy.seen.filter((s) => s.startsWith('PUT /v1/config') && !s.includes('intentions')).length).toBeGreaterThanOrEqual(2);
    expect(run.stdout).not.toContain('created by someone else');
    expect(entryLine(run.stdout, 'service-defaults/api')).toMatch(/^ {2}✓ create service-defaults\/api/);
    expect(entryLine(run.stdout, 'service-intentions/api')).toBe('  ✓ create service-intentions/api');
    expect(run.stdout).toContain('Apply: 2 applied, 0 failed, 0 conflicts, 0 not attempted.');
    expect(run.code).toBe(0);
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.code).toBe(0);
  });

  it('a delete whose first answer is lost is applied when the re-read finds the entry gone', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api'), 'config-entries/old.hcl': defaults('old') });
    expect((await runAgainst(consul.url, applyCommand, [], dir)).code).toBe(0);
    rmSync(join(dir, 'config-entries/old.hcl'));
    proxy = await startConsulProxy(
      consul.url,
      loseFirst((m, u) => m === 'DELETE' && u?.startsWith('/v1/config/service-defaults/old') === true),
    );
    const run = await runAgainst(proxy.url, applyCommand, ['--prune', '--lock-wait', '0'], dir);
    expect(proxy.seen.filter((s) => s.startsWith('DELETE /v1/config/service-defaults/old')).length).toBeGreaterThanOrEqual(2);
    expect(entryLine(run.stdout, 'service-defaults/old')).toMatch(/^ {2}✓ delete service-defaults\/old/);
    expect(run.code).toBe(0);
  });

  it('a retry refused because someone else wrote a different entry meanwhile is still a conflict naming the entry', async () => {
    // Our first attempt is lost before Consul sees it (the dev server drops it), and another writer
    // creates the entry with other content before the retry: not ours, not the file: a conflict.
    let armed = false;
    proxy = await startConsulProxy(consul.url, (req, body) => {
      if (!armed && written(req.method, req.url, body) === 'service-defaults/api') {
        armed = true;
        consul.faults.failNext(1, 'drop');
        void fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }) });
      }
      return 'forward';
    });
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api') });
    const run = await runAgainst(proxy.url, applyCommand, ['--lock-wait', '0'], dir);
    const line = entryLine(run.stdout, 'service-defaults/api');
    expect(line).not.toMatch(/✓/);
    expect(line).toMatch(/service-defaults\/api/);
    expect(run.code).toBe(1);
    const held = (await (await fetch(`${consul.url}/v1/config/service-defaults/api`)).json()) as { Protocol: string };
    expect(held.Protocol).toBe('grpc');
  });

  it('the lock\'s lease written but its answer lost: the retry\'s "false" is our own lease, not another run holding the target', async () => {
    proxy = await startConsulProxy(
      consul.url,
      loseFirst((m, u) => m === 'PUT' && u?.startsWith('/v1/kv/consul-gitops/state/default/lock') === true),
    );
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api') });
    const run = await runAgainst(proxy.url, applyCommand, ['--lock-wait', '0'], dir);
    expect(run.stderr).not.toContain('holds consul-gitops/state/default/lock');
    expect(entryLine(run.stdout, 'service-defaults/api')).toBe('  ✓ create service-defaults/api');
    expect(run.code).toBe(0);
    // And the lease is released at the end: the next apply does not wait for it.
    const again = await runAgainst(consul.url, applyCommand, ['--lock-wait', '0'], dir);
    expect(again.code).toBe(0);
  });
});
