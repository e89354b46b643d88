// Issue 8 item 1: an ACL-filtered read is never "absent" and never "strict". plan, apply and audit
// through the CLI (main() and the commands it calls), and the drift schedule, against the dev
// server with default-deny ACLs and scoped tokens, as Consul filters and flags lists.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore } from '../../src/adapters/consul/stores.ts';
import { detectDrift } from '../../src/app/detect-drift.ts';
import { InMemoryStateStore } from '../support/in-memory-state-store.ts';
import { DRIFT_JOB, recordingDeps, target as driftTarget } from '../support/recording-deps.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

const ROOT = 'root-7c1e0c52-0000-4000-8000-000000000001';
const WEB_ONLY = 'web-7c1e0c52-0000-4000-8000-000000000002';
const READ_ALL = 'all-7c1e0c52-0000-4000-8000-000000000003';

// A fresh dev server with default-deny ACLs for each test (test/support/dev-server-per-test.ts).
const server = devServerPerTest({
  acl: {
    defaultPolicy: 'deny',
    tokens: [
      { secret: ROOT, management: true },
      // The reconciler's own state needs key_prefix "consul-gitops/" write (README), so apply reaches its reads.
      { secret: WEB_ONLY, rules: { service_prefix: { web: 'read' }, key_prefix: { 'consul-gitops/': 'write' } } },
      { secret: READ_ALL, rules: { service_prefix: { '': 'read' }, intention_prefix: { '': 'read' }, mesh: 'read' } },
    ],
  },
});

async function put(body: unknown): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', headers: { 'X-Consul-Token': ROOT }, body: JSON.stringify(body) });
  expect(await res.text()).toBe('true');
}

async function get(kind: string, name: string): Promise<Record<string, unknown>> {
  return (await fetch(`${server.url}/v1/config/${kind}/${name}`, { headers: { 'X-Consul-Token': ROOT } })).json() as Promise<Record<string, unknown>>;
}

/** A repository whose consul-gitops.yaml reads the token from a file, as a user would configure it. */
function repo(token: string | undefined, files: Record<string, string>): string {
  const dir = tempTree(files);
  const consul = token ? `    consul:\n      tokenFile: ${join(dir, 'token')}\n` : '';
  writeFileSync(join(dir, 'consul-gitops.yaml'), `targets:\n  - name: dc1\n    dir: config-entries\n    prune: false\n${consul}`);
  if (token) writeFileSync(join(dir, 'token'), `${token}\n`);
  return dir;
}

const ENTRIES = {
  'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
};

describe('audit never says strict from a read ACLs may have cut short', () => {
  it('audit --require-strict without a token, default-deny ACLs and a permissive service: exit 1 naming service:read', async () => {
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    await put({ Kind: 'service-defaults', Name: 'legacy', MutualTLSMode: 'permissive' });
    // The mesh is locked down again, but "legacy" still accepts plaintext.
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });

    const r = await runCli(['audit', '--require-strict', '--consul', server.url], tempTree({}));
    expect(r.stdout).not.toContain('strict: the mesh accepts mTLS only');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('service:read on every service');
    expect(r.stdout + r.stderr).toContain('no token was sent');

    // With a token that reads everything the truth comes out.
    const dir = repo(READ_ALL, {});
    const full = await runCli(['audit', '--require-strict', '--consul', server.url], dir);
    expect(full.stdout).toContain('permissive service-defaults: legacy');
    expect(full.code).toBe(1);
    expect(full.stdout + full.stderr).not.toContain(READ_ALL);
  });

  it('audit with a token that cannot read every service is an error, not a verdict', async () => {
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    await put({ Kind: 'service-defaults', Name: 'legacy', MutualTLSMode: 'permissive' });
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });
    const r = await runCli(['audit', '--consul', server.url], repo(WEB_ONLY, {}));
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('strict: the mesh accepts mTLS only');
    expect(r.stderr).toContain('X-Consul-Results-Filtered-By-ACLs');
    expect(r.stderr).toContain('service_prefix "" { policy = "read" }');
    expect(r.stderr).not.toContain(WEB_ONLY);
  });
});

describe('plan and apply never take a hidden entry for an absent one', () => {
  it('plan with a token that reads only web*: exit 1 naming the permission, no creates planned', async () => {
    const dir = repo(ROOT, ENTRIES);
    expect((await runCli(['apply', '--consul', server.url], dir)).code).toBe(0);

    const scoped = repo(WEB_ONLY, ENTRIES);
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], scoped);
    expect(plan.code).toBe(1);
    expect(plan.stdout).not.toContain('to create');
    expect(plan.stderr).toContain('listing service-defaults (GET /v1/config/service-defaults) is incomplete');
    expect(plan.stderr).toContain('service:read on every service');
    expect(plan.stderr).not.toContain(WEB_ONLY);

    // A token that can read every kind plans "No changes".
    const full = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], repo(READ_ALL, ENTRIES));
    expect(full.stdout).toContain('No changes.');
    expect(full.code).toBe(0);
  });

  it('apply with the scoped token stops before any write', async () => {
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' });
    const before = await get('service-defaults', 'api');
    const apply = await runCli(['apply', '--adopt', '--consul', server.url], repo(WEB_ONLY, ENTRIES));
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('service:read on every service');
    expect(await get('service-defaults', 'api')).toEqual(before);
    expect((await fetch(`${server.url}/v1/config/service-defaults/web`, { headers: { 'X-Consul-Token': ROOT } })).status).toBe(404);
  });

  it('plan without a token under default deny is an error, even when every file is new', async () => {
    const r = await runCli(['plan', '--consul', server.url], tempTree(ENTRIES));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no token was sent');
  });
});

describe('the drift schedule', () => {
  it('reports an incomplete read as an error in the drift issue, never as "in sync" or as creates', async () => {
    await put({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' },
    });
    const consul = new ConsulClient({ address: server.url, token: WEB_ONLY, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const { deps, issues } = recordingDeps({
      files: [{ path: 'config-entries/api.hcl', text: ENTRIES['config-entries/api.hcl'] }],
      store: new ConsulConfigEntryStore(consul),
      state: new InMemoryStateStore(),
    });
    const target = driftTarget('dc1', true);
    try {
      const outcome = detectDrift(deps, target, { ...DRIFT_JOB, selfHeal: true });
      await expect(outcome).rejects.toMatchObject({ kind: 'incomplete-read', missingPermission: 'service:read on every service' });
    } finally {
      await consul.close();
    }
    expect(issues).toHaveLength(1);
    expect(issues[0].open).toBe(true);
    expect(issues[0].body).toContain('service:read on every service');
    expect(issues[0].body).not.toContain(WEB_ONLY);
  });
});
