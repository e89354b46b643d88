// The supported Consul range is 1.22.0 to 2.1.x (HashiCorp's N-2 window on 2026-11-30: 1.22, 2.0,
// 2.1; docs/consul-versions.md). Through main(): a 2.x target is in range, a 1.21 target is told it
// is not and is still checked against its own version, and the dev server answers as 2.1.0.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAclPolicyFile } from '../../src/dev-server/acl-policy-file.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { targetRepo, targetsYaml, WEB, WEB_2_0 } from '../support/consul-version-examples.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface JsonPlan {
  warnings: { code: string; message: string }[];
  changes: { id: { kind: string; name: string }; action: string }[];
}

const validateAt = (version: string, files: Record<string, string>) =>
  runCli(['validate', 'config-entries'], tempTree({ 'consul-gitops.yaml': targetsYaml(version), ...files }));

async function planJson(consulVersion: string | undefined, files: Record<string, string>): Promise<JsonPlan> {
  server = await startDevServer({ port: 0, host: '127.0.0.1', ...(consulVersion ? { consulVersion } : {}) });
  const run = await runCli(['plan', '--json', '--consul', server.url], targetRepo(files));
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as JsonPlan;
}

describe('validate against the supported range', () => {
  it('a 2.1 target using a 2.0 field: nothing to say (no unsupported-version warning, no unknown field)', async () => {
    for (const version of ['2.1.0', '2.1.3', '2.0.0']) {
      const run = await validateAt(version, { 'config-entries/web.hcl': WEB_2_0 });
      expect(run.stderr, version).toBe('');
      expect(run.code).toBe(0);
    }
  });

  it('a 1.21 target is told it is unsupported, and still warned of the 1.22 field it does not know', async () => {
    const run = await validateAt('1.21.4', { 'config-entries/web.hcl': WEB });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'target "prod": Consul 1.21.4 is older than the oldest version consul-gitops supports (1.22.0): fields and rules are still checked as Consul 1.21.4 has them',
    );
    expect(run.stderr).toContain(
      'config-entries/web.hcl:4:1: MaxRequestHeadersKB: Consul 1.21.4 (target "prod") does not know this field, added in Consul 1.22.0',
    );
  });

  it('a 2.2 target is newer than the newest modelled (2.1.0)', async () => {
    const run = await validateAt('2.2.0', { 'config-entries/web.hcl': WEB_2_0 });
    expect(run.stderr).toContain('Consul 2.2.0 is newer than the newest version consul-gitops models (2.1.0)');
  });
});

describe('plan against a server reporting its version', () => {
  it('a 2.0 or 2.1 server is in range: no unsupported-consul-version', async () => {
    for (const version of ['2.0.3', '2.1.0']) {
      const plan = await planJson(version, { 'config-entries/web.hcl': WEB_2_0 });
      expect(plan.warnings, version).toEqual([]);
      await server?.close();
      server = undefined;
    }
  });

  it('a 1.21 server is out of range: unsupported-consul-version, and its unknown field is still named', async () => {
    const plan = await planJson('1.21.4', { 'config-entries/web.hcl': WEB });
    expect(plan.warnings.map((w) => w.code)).toContain('unsupported-consul-version');
    expect(plan.warnings.find((w) => w.code === 'unsupported-consul-version')?.message).toContain(
      'older than the oldest version consul-gitops supports (1.22.0)',
    );
    expect(JSON.stringify(plan.warnings)).toContain('MaxRequestHeadersKB: Consul 1.21.4 (target \\"prod\\") does not know this field');
  });
});

describe('the dev server by default answers as the newest modelled Consul, 2.1.0', () => {
  it('reports 2.1.0 on /v1/agent/self', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
    const self = (await (await fetch(`${server.url}/v1/agent/self`)).json()) as { Config: { Version: string } };
    expect(self.Config.Version).toBe('2.1.0');
  });

  it('accepts a 2.0 field, as a 2.1 Consul does, so apply writes it and the next plan is empty', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
    const dir = targetRepo({ 'config-entries/web.hcl': WEB_2_0 });
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.code, apply.stderr).toBe(0);
    const stored = (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as {
      UpstreamConfig: { Defaults: { PassiveHealthCheck: { Consecutive5xx: number } } };
    };
    expect(stored.UpstreamConfig.Defaults.PassiveHealthCheck.Consecutive5xx).toBe(3);
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});

describe('a token that may not read the server version', () => {
  it('plans for 2.1.0, the newest modelled, with a notice naming it', async () => {
    const planner = 'plan-5b0d7c4e-0000-4000-8000-000000000001';
    const file = join(tempTree({}), 'acl.yaml');
    // As `dev-server --acl-policy-file FILE` loads it: config entries readable, no agent rule.
    writeFileSync(
      file,
      [
        'default_policy: deny',
        'tokens:',
        `  - secret: ${planner}`,
        '    rules:',
        '      service_prefix: { "": { policy: read } }',
        '      mesh: read',
        '',
      ].join('\n'),
    );
    server = await startDevServer({ port: 0, host: '127.0.0.1', acl: loadAclPolicyFile(file), consulVersion: '1.22.4' });
    const run = await runCli(['plan', '--consul', server.url], targetRepo({ 'config-entries/web.hcl': WEB_2_0 }, { token: planner }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('could not read the Consul version');
    expect(run.stderr).toContain('planning for 2.1.0, the newest modelled');
    expect(run.stdout).not.toContain('does not know this field');
  });
});
