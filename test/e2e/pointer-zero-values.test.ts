// Go pointer fields keep their zero (issue 11): Consul's server structs make some fields pointers so
// an explicit zero differs from unset (agent/structs/config_entry.go at hashicorp/consul 03658a0:
// PassiveHealthCheck.EnforcingConsecutive5xx *uint32, MaxEjectionPercent *uint32, BaseEjectionTime
// *time.Duration, UpstreamLimits.MaxConnections *int, ServiceConfigEntry.MaxRequestHeadersKB *uint32).
// encoding/json omits a nil pointer and writes a pointer to zero, so Consul stores and answers
// `"EnforcingConsecutive5xx": 0`, and Envoy then ejects on 0% instead of the default 100%. Every test
// runs the CLI against the dev server, which decodes and stores through the same registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const META = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' };

const fileWith = (passiveHealthCheck: string) => `Kind = "service-defaults"
Name = "api"
Protocol = "http"
UpstreamConfig {
  Defaults {
    PassiveHealthCheck {
      MaxFailures = 5
${passiveHealthCheck}    }
  }
}
`;

const ZEROS = `      EnforcingConsecutive5xx = 0
      MaxEjectionPercent = 0
      BaseEjectionTime = "0s"
`;

/** PUT as consul-gitops (or `consul config write`) would, with the ownership marker. */
const put = (url: string, passiveHealthCheck: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  fetch(`${url}/v1/config`, {
    method: 'PUT',
    body: JSON.stringify({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      UpstreamConfig: { Defaults: { PassiveHealthCheck: { MaxFailures: 5, ...passiveHealthCheck } } },
      Meta: META,
      ...extra,
    }),
  });

const live = async (url: string) => (await (await fetch(`${url}/v1/config/service-defaults/api`)).json()) as Record<string, any>;

describe('Go pointer fields keep an explicit zero, as Consul stores it', () => {
  it('the dev server stores a pointer zero and GET answers it; a plain field (MaxFailures) drops it', async () => {
    expect(await (await put(server.url, { EnforcingConsecutive5xx: 0, MaxEjectionPercent: 0, BaseEjectionTime: 0, Interval: 0 })).text()).toBe('true');
    const check = (await live(server.url)).UpstreamConfig.Defaults.PassiveHealthCheck;
    expect(check).toEqual({ MaxFailures: 5, EnforcingConsecutive5xx: 0, MaxEjectionPercent: 0, BaseEjectionTime: 0 });
    // null is a nil pointer: absent, as encoding/json omits it.
    expect(await (await put(server.url, { EnforcingConsecutive5xx: null })).text()).toBe('true');
    expect((await live(server.url)).UpstreamConfig.Defaults.PassiveHealthCheck).toEqual({ MaxFailures: 5 });
  });

  it('plan shows a zero the file sets against a live entry without it, apply writes it, and plan then has no changes', async () => {
    expect(await (await put(server.url, {})).text()).toBe('true');
    const dir = tempTree({ 'config-entries/api.hcl': fileWith(ZEROS) });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ update service-defaults/api');
    expect(plan.stdout).toMatch(/\+ EnforcingConsecutive5xx\s+= 0/);
    expect(plan.stdout).toMatch(/\+ MaxEjectionPercent\s+= 0/);
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');

    const json = await runCli(['plan', '--json', '--consul', server.url], dir);
    expect(json.code).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('"EnforcingConsecutive5xx"');

    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect((await live(server.url)).UpstreamConfig.Defaults.PassiveHealthCheck).toEqual({
      MaxFailures: 5,
      EnforcingConsecutive5xx: 0,
      MaxEjectionPercent: 0,
      BaseEjectionTime: 0,
    });
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  it('plan shows a live zero the file does not set as removed, and apply removes it', async () => {
    expect(await (await put(server.url, { EnforcingConsecutive5xx: 0 })).text()).toBe('true');
    const dir = tempTree({ 'config-entries/api.hcl': fileWith('') });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- EnforcingConsecutive5xx\s+= 0/);

    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.code).toBe(0);
    expect((await live(server.url)).UpstreamConfig.Defaults.PassiveHealthCheck).toEqual({ MaxFailures: 5 });
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(again.stdout).toContain('No changes.');
  });

  it('UpstreamLimits (*int) and MaxRequestHeadersKB (*uint32): 0 against absent is a change, in both directions', async () => {
    const file = `Kind = "service-defaults"
Name = "api"
MaxRequestHeadersKB = 0
UpstreamConfig {
  Overrides = [{ Name = "db", Limits { MaxConnections = 0 } }]
}
`;
    expect(
      await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', Meta: META }) })).text(),
    ).toBe('true');
    const dir = tempTree({ 'config-entries/api.hcl': file });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ MaxRequestHeadersKB\s+= 0/);
    expect(plan.stdout).toMatch(/\+ MaxConnections\s+= 0/);
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.code).toBe(0);
    const stored = await live(server.url);
    expect(stored.MaxRequestHeadersKB).toBe(0);
    expect(stored.UpstreamConfig.Overrides[0].Limits).toEqual({ MaxConnections: 0 });
    expect((await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir)).code).toBe(0);

    // And back: a file without them against the stored zeros.
    const without = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nUpstreamConfig {\n  Overrides = [{ Name = "db" }]\n}\n' });
    const back = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], without);
    expect(back.code).toBe(2);
    expect(back.stdout).toMatch(/- MaxRequestHeadersKB\s+= 0/);
    expect(back.stdout).toMatch(/- Limits\s+= \{\s+- MaxConnections = 0/);
  });

  it('import writes a live pointer zero back out, and plan then has no changes', async () => {
    expect(await (await put(server.url, { EnforcingConsecutive5xx: 0 }, { Meta: {} })).text()).toBe('true');
    for (const format of ['hcl', 'json', 'yaml'] as const) {
      const dir = tempTree({});
      const imported = await runCli(['import', '--consul', server.url, '--format', format, '--kinds', 'service-defaults'], dir);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const text = readFileSync(join(dir, `config-entries/service-defaults/api.${format}`), 'utf8');
      expect(text).toMatch(/EnforcingConsecutive5xx"?\s*[=:]\s*0/);
      const plan = await runCli(['plan', '--consul', server.url], dir);
      expect(plan.code).toBe(0);
      expect(plan.stdout).not.toContain('EnforcingConsecutive5xx');
    }
  });

  it('a CRD (consul-k8s PassiveHealthCheck.EnforcingConsecutive5xx *uint32) and JSON keep the zero in what render sends', async () => {
    const crd = [
      'apiVersion: consul.hashicorp.com/v1alpha1',
      'kind: ServiceDefaults',
      'metadata:',
      '  name: api',
      'spec:',
      '  upstreamConfig:',
      '    defaults:',
      '      passiveHealthCheck:',
      '        maxFailures: 0',
      '        enforcingConsecutive5xx: 0',
      '',
    ].join('\n');
    const json = JSON.stringify({ Kind: 'service-defaults', Name: 'b', UpstreamConfig: { Defaults: { Limits: { MaxConnections: 0 } } } });
    const run = await runCli(['render', '--json', 'api.yaml', 'b.json'], tempTree({ 'api.yaml': crd, 'b.json': json }));
    expect(run.stderr).toBe('');
    const [a, b] = JSON.parse(run.stdout) as Record<string, any>[];
    expect(a.UpstreamConfig.Defaults.PassiveHealthCheck).toEqual({ EnforcingConsecutive5xx: 0 });
    expect(b.UpstreamConfig.Defaults.Limits).toEqual({ MaxConnections: 0 });
  });

  it("validate refuses Consecutive5xx = 0 as Consul's PassiveHealthCheck.Validate does (a bound only on a set pointer)", async () => {
    const dir = tempTree({ 'a.hcl': fileWith('      Consecutive5xx = 0\n') });
    const run = await runCli(['validate', 'a.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('passive health check consecutive_5xx must be greater than 0');
    // Unset, the bound does not apply.
    const unset = await runCli(['validate', 'a.hcl'], tempTree({ 'a.hcl': fileWith('') }));
    expect(unset.code).toBe(0);
  });
});
