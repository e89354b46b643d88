// Issue 11 class 3: without `consulVersion` in consul-gitops.yaml, plan and apply plan for the
// version the server reports (GET /v1/agent/self Config.Version, agent:read); a configured version
// the server contradicts is a warning, a token that may not read it a notice. Through main().
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAclPolicyFile } from '../../src/dev-server/acl-policy-file.ts';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/dev-server/server.ts';
import { SUPPORTED_CONSUL } from '../../src/model/consul-versions.ts';
import { liveFiftyFifty, ROUTE, targetRepo as repo, WEB, WEB_2_0 } from '../support/consul-version-examples.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

let server: DevServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: DevServerOptions = {}): Promise<DevServer> {
  server = await startDevServer({ port: 0, ...options });
  return server;
}

const plan = (s: DevServer, dir: string, ...args: string[]) => runCli(['plan', '--consul', s.url, ...args], dir);

/** What the JSON plan says v2's weight becomes. */
function v2Weight(stdout: string): unknown {
  const doc = JSON.parse(stdout) as { changes: { id: { kind: string }; fieldDiffs?: { path: string; after?: unknown }[] }[] };
  const change = doc.changes.find((c) => c.id.kind === 'http-route');
  const diff = change?.fieldDiffs?.find((d) => d.path === 'Rules[0].Services[1].Weight');
  return diff ? (diff.after ?? 'absent') : 'no diff';
}

describe('plan without consulVersion uses the version the server reports', () => {
  it('Weight 0 on a server reporting 1.22.5 is what that Consul stores: 1, not "no traffic"', async () => {
    const s = await start({ consulVersion: '1.22.5' });
    await liveFiftyFifty(s);
    const run = await plan(s, repo({ 'config-entries/shop.hcl': ROUTE }), '--json');
    expect(run.stderr).toBe('');
    expect(v2Weight(run.stdout)).toBe(1);
  });

  it('on a server reporting the newest modelled version, Weight 0 drains the backend', async () => {
    const s = await start();
    await liveFiftyFifty(s);
    const run = await plan(s, repo({ 'config-entries/shop.hcl': ROUTE }), '--json');
    expect(run.stderr).toBe('');
    expect(v2Weight(run.stdout)).not.toBe(1);
    expect(v2Weight(run.stdout)).not.toBe('no diff');
  });

  it('apply writes for the detected version too', async () => {
    const s = await start({ consulVersion: '1.22.5' });
    await liveFiftyFifty(s);
    const dir = repo({ 'config-entries/shop.hcl': ROUTE });
    const run = await runCli(['apply', '--auto-approve', '--consul', s.url], dir);
    expect(run.code, run.stderr).toBe(0);
    // Consul 1.22.5 stored 1; the next plan, for the same version, sees nothing left to do.
    const again = await plan(s, dir, '--detailed-exitcode');
    expect(again.code, again.stdout).toBe(0);
  });

  it('warns in the plan, as validate does, of a field the detected version does not know', async () => {
    const s = await start({ consulVersion: '1.21.4' });
    const run = await plan(s, repo({ 'config-entries/web.hcl': WEB }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Warnings:');
    expect(run.stdout).toContain(
      'service-defaults/web: config-entries/web.hcl:4: MaxRequestHeadersKB: Consul 1.21.4 (target "prod") does not know this field, added in Consul 1.22.0',
    );
  });

  it('names a reported version outside the supported range', async () => {
    const s = await start({ consulVersion: '1.19.2' });
    const run = await plan(s, repo({ 'config-entries/tgw.hcl': 'Kind = "terminating-gateway"\nName = "tgw"\n' }));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: target "prod": Consul 1.19.2 is older than the oldest version consul-gitops supports (${SUPPORTED_CONSUL.oldest})`);
  });
});

describe('plan with consulVersion set', () => {
  it('warns, naming both, when the server reports another version, and plans for the configured one', async () => {
    const s = await start();
    await liveFiftyFifty(s);
    const run = await plan(s, repo({ 'config-entries/shop.hcl': ROUTE }, { version: '1.22.5' }), '--json');
    expect(run.stderr).toContain(
      `warning: target "prod": consul-gitops.yaml says consulVersion "1.22.5" but the server reports Consul "${SUPPORTED_CONSUL.newest}"; planning for 1.22.5 as configured`,
    );
    expect(v2Weight(run.stdout)).toBe(1);
  });

  it("repeats validate's warning on fields the configured version does not know, in the PR-style plan text", async () => {
    const s = await start({ consulVersion: '1.22.5' });
    const run = await plan(s, repo({ 'config-entries/web.hcl': WEB_2_0 }, { version: '1.22.5' }));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      'UpstreamConfig.Defaults.PassiveHealthCheck.Consecutive5xx: Consul 1.22.5 (target "prod") does not know this field, added in Consul 2.0.0',
    );
    expect(run.stdout).toContain('raise consulVersion in consul-gitops.yaml');
  });
});

describe('a token that may not read /v1/agent/self', () => {
  const PLANNER = 'plan-7c1e0c52-0000-4000-8000-000000000004';
  const ROOT = 'root-7c1e0c52-0000-4000-8000-000000000005';

  async function aclServer(consulVersion?: string): Promise<DevServer> {
    // As `dev-server --acl-policy-file FILE` loads it: every config entry readable, no agent rule.
    const file = join(tempTree({}), 'acl.yaml');
    writeFileSync(
      file,
      [
        'default_policy: deny',
        'tokens:',
        `  - secret: ${ROOT}`,
        '    management: true',
        `  - secret: ${PLANNER}`,
        '    rules:',
        '      service_prefix: { "": { policy: read } }',
        '      intention_prefix: { "": { policy: read } }',
        '      mesh: read',
        '      key_prefix: { "consul-gitops/": { policy: read } }',
        '',
      ].join('\n'),
    );
    return start({ acl: loadAclPolicyFile(file), ...(consulVersion ? { consulVersion } : {}) });
  }

  it('gets a one-line notice and the plan for the newest modelled version, never an error', async () => {
    const s = await aclServer('1.21.3');
    await liveFiftyFifty(s, { 'X-Consul-Token': ROOT });
    const run = await plan(s, repo({ 'config-entries/shop.hcl': ROUTE }, { token: PLANNER }), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(
      `notice: target "prod": could not read the Consul version (the token may not read GET /v1/agent/self, which needs agent:read); planning for ${SUPPORTED_CONSUL.newest}, the newest modelled: set consulVersion in consul-gitops.yaml to name it\n`,
    );
    expect(run.stderr).not.toContain(PLANNER);
    expect(v2Weight(run.stdout)).not.toBe(1);
  });

  it('says nothing when consulVersion is configured: there is nothing to detect', async () => {
    const s = await aclServer('1.22.5');
    await liveFiftyFifty(s, { 'X-Consul-Token': ROOT });
    const run = await plan(s, repo({ 'config-entries/shop.hcl': ROUTE }, { token: PLANNER, version: '1.22.5' }), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(v2Weight(run.stdout)).toBe(1);
  });
});

describe('the dev server behaves as the version it reports', () => {
  it('reports the newest modelled version by default', async () => {
    const s = await start();
    const self = (await (await fetch(`${s.url}/v1/agent/self`)).json()) as { Config: { Version: string } };
    expect(self.Config.Version).toBe(SUPPORTED_CONSUL.newest);
  });

  it('as an older Consul, refuses a field that version lacks with invalid config key', async () => {
    const s = await start({ consulVersion: '1.21.4' });
    const self = (await (await fetch(`${s.url}/v1/agent/self`)).json()) as { Config: { Version: string } };
    expect(self.Config.Version).toBe('1.21.4');
    const body = { Kind: 'service-defaults', Name: 'web', Protocol: 'http', MaxRequestHeadersKB: 96 };
    const res = await fetch(`${s.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid config key "MaxRequestHeadersKB"');
  });

  it('as the oldest supported Consul, stores DisableAutoHostRewrite, which predates the range', async () => {
    const s = await start({ consulVersion: SUPPORTED_CONSUL.oldest });
    const body = { Kind: 'terminating-gateway', Name: 'tgw', Services: [{ Name: 'legacy', DisableAutoHostRewrite: true }] };
    const res = await fetch(`${s.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    expect(await res.text()).toBe('true');
    const stored = (await (await fetch(`${s.url}/v1/config/terminating-gateway/tgw`)).json()) as { Services: { DisableAutoHostRewrite?: boolean }[] };
    expect(stored.Services[0].DisableAutoHostRewrite).toBe(true);
  });
});
