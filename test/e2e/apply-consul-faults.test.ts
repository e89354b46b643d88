// apply when Consul misbehaves mid-run, through the CLI: a write whose answer is lost is reported
// as "outcome unknown" (it may well be stored), and once Consul is unreachable nothing more is sent:
// every change left is listed as not attempted. Exit code 1 either way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { DEFAULT_APPLY_CONCURRENCY } from '../../src/app/apply-plan.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { NO_PAUSES, runAgainst, tempTree } from '../support/run-cli.ts';
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

describe('apply against a failing Consul', () => {
  it('a write whose answer is lost is "outcome unknown: re-run plan", not "failed", and it may indeed be stored', async () => {
    // Every attempt to write api reaches Consul; every answer is lost on the way back.
    proxy = await startConsulProxy(consul.url, (req, body) => (written(req.method, req.url, body) === 'service-defaults/api' ? 'lose-answer' : 'forward'));
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api'), 'config-entries/api-intentions.hcl': intentions('api') });
    const run = await runAgainst(proxy.url, applyCommand, [], dir);
    expect(run.code).toBe(1);
    expect(entryLine(run.stdout, 'service-defaults/api')).toMatch(/^ {2}\? create service-defaults\/api: outcome unknown: re-run plan \(/);
    expect(run.stdout).not.toMatch(/service-defaults\/api: failed/);
    // The dropped answers count as Consul not answering: the intentions are not sent.
    expect(entryLine(run.stdout, 'service-intentions/api')).toMatch(/^ {2}- create service-intentions\/api: not attempted: Consul unreachable/);
    expect(proxy.seen.filter((s) => s.startsWith('PUT')).every((s) => !s.includes('intentions'))).toBe(true);
    expect(run.stdout).toContain('Apply: 0 applied, 0 failed, 0 conflicts, 1 outcome unknown (re-run plan), 1 not attempted.');

    // What "unknown" means: Consul did store it. The next plan (Consul reachable) knows.
    const plan = await runAgainst(consul.url, planCommand, [], dir);
    expect(plan.stdout).not.toContain('service-defaults/api');
    expect(plan.stdout).toContain('service-intentions/api');
  });

  it('a write dropped once and answered on the retry is applied: "unknown" only when no answer ever came', async () => {
    let armed = false;
    proxy = await startConsulProxy(consul.url, (req, body) => {
      if (!armed && written(req.method, req.url, body) === 'service-defaults/api') {
        armed = true;
        consul.faults.failNext(1, 'drop'); // the dev server's own fault (PUT /v1/dev/faults {"count":1,"drop":true}) for this very request
      }
      return 'forward';
    });
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api'), 'config-entries/api-intentions.hcl': intentions('api') });
    const run = await runAgainst(proxy.url, applyCommand, [], dir);
    expect(proxy.seen.filter((s) => s.startsWith('PUT /v1/config')).length).toBe(3); // api twice, then the intentions
    expect(run.code).toBe(0);
    expect(entryLine(run.stdout, 'service-defaults/api')).toBe('  ✓ create service-defaults/api');
    expect(run.stdout).toContain('Apply: 2 applied, 0 failed, 0 conflicts, 0 not attempted.');
  });

  it('Consul stopping mid-apply: the rest is not attempted and is listed, nothing is reported applied that was not', async () => {
    // More services than writes in flight at once, so some are provably never sent.
    const services = Array.from({ length: 50 }, (_, i) => `svc${String(i).padStart(2, '0')}`);
    const files: Record<string, string> = { 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' };
    for (const s of services) {
      files[`config-entries/${s}.hcl`] = defaults(s);
      files[`config-entries/${s}-intentions.hcl`] = intentions(s);
    }
    const dir = tempTree(files);
    // Consul dies when the first service-defaults write arrives: that write and everything after it hits a dead port.
    proxy = await startConsulProxy(consul.url, (req, body) => (written(req.method, req.url, body)?.startsWith('service-defaults/') ? 'die' : 'forward'));
    // Consul stays gone: the lease's release is tried without pauses between attempts.
    const run = await runAgainst(proxy.url, applyCommand, [], dir, { sleep: NO_PAUSES });
    expect(run.code).toBe(1);
    expect(entryLine(run.stdout, 'mesh/mesh')).toBe('  ✓ create mesh/mesh');

    const lines = [...services.map((s) => `service-defaults/${s}`), ...services.map((s) => `service-intentions/${s}`)].map((w) => entryLine(run.stdout, w)!);
    expect(lines.every((l) => l !== undefined && !l.startsWith('  ✓'))).toBe(true);
    const notAttempted = lines.filter((l) => / not attempted: Consul unreachable \(/.test(l));
    // At most one batch of concurrent writes was in flight when Consul went away; nothing after it was sent.
    expect(notAttempted.length).toBeGreaterThanOrEqual(lines.length - DEFAULT_APPLY_CONCURRENCY);
    expect(lines.filter((l) => l.includes('service-intentions/')).every((l) => notAttempted.includes(l))).toBe(true);
    // The write that was cut off after it was sent: unknown, not failed.
    expect(lines.filter((l) => l.includes('outcome unknown: re-run plan')).length).toBeGreaterThanOrEqual(1);
    expect(run.stdout).toMatch(/Apply: 1 applied, \d+ failed, 0 conflicts, \d+ outcome unknown \(re-run plan\), \d+ not attempted\./);

    // Consul (the dev server behind the dead proxy) holds exactly what was reported applied.
    const held = (await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()) as unknown[];
    expect(held).toEqual([]);
  });
});
