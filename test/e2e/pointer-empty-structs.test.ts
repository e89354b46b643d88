// Go pointers to structs keep an empty value (issue 11, stop 18). Consul's server structs make
// UpstreamConfig.PassiveHealthCheck and .Limits pointers (agent/structs/config_entry.go
// UpstreamConfig, `*PassiveHealthCheck`, `*UpstreamLimits`, `json:",omitempty"`), so a block written
// empty (`PassiveHealthCheck {}`) is a non-nil pointer: stored, and answered by GET as `{}`. It is
// not idle: UpstreamConfig.MergeInto copies a non-nil PassiveHealthCheck or Limits into the merged
// upstream map ("Avoid storing empty values in the map, since these can act as overrides"), so an
// override's empty block replaces the Defaults' one, and that upstream gets Envoy's outlier
// defaults (xds makeOutlierDetection of an empty struct) instead of MaxFailures = 5.
// Every test runs the CLI against the dev server, which decodes and stores through the same registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const META = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' };

const fileWith = (override: string) => `Kind = "service-defaults"
Name = "api"
UpstreamConfig {
  Defaults {
    PassiveHealthCheck {
      MaxFailures = 5
    }
  }
  Overrides = [{
    Name = "db"
${override}  }]
}
`;

const EMPTY = `    PassiveHealthCheck {}
    Limits {}
`;

const put = (url: string, override: Record<string, unknown>, meta: Record<string, string> = META) =>
  fetch(`${url}/v1/config`, {
    method: 'PUT',
    body: JSON.stringify({
      Kind: 'service-defaults',
      Name: 'api',
      UpstreamConfig: { Defaults: { PassiveHealthCheck: { MaxFailures: 5 } }, Overrides: [{ Name: 'db', ...override }] },
      Meta: meta,
    }),
  });

/** The override's two pointer fields as GET answers them (the Go zero fields GET adds are not the point). */
const override = async (url: string) => {
  const body = (await (await fetch(`${url}/v1/config/service-defaults/api`)).json()) as { UpstreamConfig: { Overrides: Record<string, unknown>[] } };
  const { PassiveHealthCheck, Limits } = body.UpstreamConfig.Overrides[0];
  return { PassiveHealthCheck, Limits };
};

describe('Go pointers to structs keep an empty struct, as Consul stores it', () => {
  it('the dev server stores an empty PassiveHealthCheck and Limits and GET answers {}; null is absent', async () => {
    expect(await (await put(server.url, { PassiveHealthCheck: {}, Limits: {} })).text()).toBe('true');
    expect(await override(server.url)).toEqual({ PassiveHealthCheck: {}, Limits: {} });
    expect(await (await put(server.url, { PassiveHealthCheck: null, Limits: null })).text()).toBe('true');
    expect(await override(server.url)).toEqual({ PassiveHealthCheck: undefined, Limits: undefined });
  });

  it('plan shows an empty block the file adds, apply writes it, and plan then has no changes', async () => {
    expect(await (await put(server.url, {})).text()).toBe('true');
    const dir = tempTree({ 'config-entries/api.hcl': fileWith(EMPTY) });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ update service-defaults/api');
    expect(plan.stdout).toMatch(/\+ PassiveHealthCheck\s+= \{\}/);
    expect(plan.stdout).toMatch(/\+ Limits\s+= \{\}/);

    const json = await runCli(['plan', '--json', '--consul', server.url], dir);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('PassiveHealthCheck');

    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(await override(server.url)).toEqual({ PassiveHealthCheck: {}, Limits: {} });
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  it('plan shows a live empty block the file lacks as removed, and apply removes it', async () => {
    expect(await (await put(server.url, { PassiveHealthCheck: {} })).text()).toBe('true');
    const dir = tempTree({ 'config-entries/api.hcl': fileWith('') });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- PassiveHealthCheck\s+= \{\}/);
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.code).toBe(0);
    expect(await override(server.url)).toEqual({ PassiveHealthCheck: undefined, Limits: undefined });
    expect((await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir)).code).toBe(0);
  });

  it('import writes a live empty block back out, and plan then has no changes', async () => {
    expect(await (await put(server.url, { PassiveHealthCheck: {} }, {})).text()).toBe('true');
    for (const format of ['hcl', 'json', 'yaml'] as const) {
      const dir = tempTree({});
      const imported = await runCli(['import', '--consul', server.url, '--format', format, '--kinds', 'service-defaults'], dir);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const text = readFileSync(join(dir, `config-entries/service-defaults/api.${format}`), 'utf8');
      // Twice: the Defaults' block and the override's empty one.
      expect(text.match(/PassiveHealthCheck/g)).toHaveLength(2);
      const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
      expect(plan.stdout).not.toContain('PassiveHealthCheck');
      expect(plan.code).toBe(0);
    }
  });
});
