// The dev server's ACLs behave as Consul's: scoped tokens see only what their rules allow, lists
// tell an authenticated token that they were filtered and never tell the anonymous token, and
// every API response carries the default policy (`allow` when ACLs are off).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerCommand } from '../../src/dev-server/command.ts';
import { parseAclPolicyFile } from '../../src/dev-server/acl-policy-file.ts';
import type { AclConfig } from '../../src/dev-server/acl.ts';
import { call, useServers } from './support.ts';

const start = useServers();
const ROOT = 'root-secret';
const WEB = 'web-reader-secret';
const ANON_POLICY: AclConfig = {
  defaultPolicy: 'deny',
  tokens: [
    { secret: ROOT, management: true },
    { secret: WEB, accessorId: 'aaaaaaaa-0000-4000-8000-00000000000a', rules: { service_prefix: { web: 'read' }, node_prefix: { '': 'read' } } },
  ],
};

async function seeded(acl: AclConfig) {
  const s = await start({ acl });
  const root = { 'X-Consul-Token': ROOT };
  expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }, root)).text).toBe('true');
  for (const name of ['web', 'web-admin', 'api'])
    await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: name, MutualTLSMode: 'permissive' }, root).then((r) =>
      expect(r.text).toBe('true'),
    );
  await call(s.url, 'PUT', '/v1/config', { Kind: 'service-intentions', Name: 'web', Sources: [{ Name: 'api', Action: 'allow' }] }, root);
  for (const [svc, node] of [
    ['web', 'n1'],
    ['api', 'n1'],
  ] as const)
    await call(
      s.url,
      'PUT',
      '/v1/catalog/register',
      {
        Node: node,
        Address: '10.0.0.1',
        Service: { Kind: 'connect-proxy', Service: `${svc}-sidecar-proxy`, Port: 21000, Proxy: { DestinationServiceName: svc } },
      },
      root,
    );
  return s;
}

const names = (r: { json: () => any }) => (r.json() as { Name: string }[]).map((e) => e.Name);

describe('dev server ACLs with scoped tokens', () => {
  it('filters lists by service_prefix and says so to the authenticated token only', async () => {
    const s = await seeded(ANON_POLICY);
    const asWeb = await call(s.url, 'GET', '/v1/config/service-defaults', undefined, { 'X-Consul-Token': WEB });
    expect(asWeb.status).toBe(200);
    expect(names(asWeb)).toEqual(['web', 'web-admin']);
    expect(asWeb.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBe('true');
    expect(asWeb.headers.get('X-Consul-Default-ACL-Policy')).toBe('deny');

    const anonymous = await call(s.url, 'GET', '/v1/config/service-defaults');
    expect(names(anonymous)).toEqual([]);
    expect(anonymous.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBeNull();
    expect(anonymous.headers.get('X-Consul-Default-ACL-Policy')).toBe('deny');

    const root = await call(s.url, 'GET', '/v1/config/service-defaults', undefined, { 'X-Consul-Token': ROOT });
    expect(names(root)).toEqual(['api', 'web', 'web-admin']);
    expect(root.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBeNull();
  });

  it('needs intention:read for intentions, and denies with the token accessor id, never the secret', async () => {
    const s = await seeded(ANON_POLICY);
    const list = await call(s.url, 'GET', '/v1/config/service-intentions', undefined, { 'X-Consul-Token': WEB });
    expect(names(list)).toEqual([]);
    expect(list.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBe('true');
    const one = await call(s.url, 'GET', '/v1/config/service-defaults/api', undefined, { 'X-Consul-Token': WEB });
    expect([one.status, one.text]).toEqual([
      403,
      `Permission denied: token with AccessorID 'aaaaaaaa-0000-4000-8000-00000000000a' lacks permission 'service:read' on "api"`,
    ]);
    const write = await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web' }, { 'X-Consul-Token': WEB });
    expect(write.status).toBe(403);
    expect(write.text).toContain(`lacks permission 'service:write' on "web"`);
    expect(write.text).not.toContain(WEB);
  });

  it('exact rules beat prefix rules, the longest prefix wins, deny wins over the default', async () => {
    const s = await seeded({
      defaultPolicy: 'allow',
      tokens: [
        { secret: ROOT, management: true },
        { secret: 'narrow', rules: { service_prefix: { '': 'read', web: 'deny' }, service: { 'web-admin': 'read' } } },
      ],
    });
    const r = await call(s.url, 'GET', '/v1/config/service-defaults', undefined, { 'X-Consul-Token': 'narrow' });
    expect(names(r)).toEqual(['api', 'web-admin']);
    expect(r.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBe('true');
    expect(r.headers.get('X-Consul-Default-ACL-Policy')).toBe('allow');
  });

  it('gives the anonymous token its own policy', async () => {
    const s = await seeded({ ...ANON_POLICY, anonymous: { service_prefix: { api: 'read' } } });
    const r = await call(s.url, 'GET', '/v1/config/service-defaults');
    expect(names(r)).toEqual(['api']);
    expect(r.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBeNull();
  });

  it('health/connect answers [] without service:read on the service, and filters instances by node and service', async () => {
    const s = await seeded(ANON_POLICY);
    const web = await call(s.url, 'GET', '/v1/health/connect/web', undefined, { 'X-Consul-Token': WEB });
    expect(web.json()).toHaveLength(1);
    // Health.ServiceNodes: no service:read on "api" → an empty answer, no error, no header.
    const api = await call(s.url, 'GET', '/v1/health/connect/api', undefined, { 'X-Consul-Token': WEB });
    expect([api.status, api.json()]).toEqual([200, []]);
    expect(api.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBeNull();
    // service:read on web but not on the proxy's own name: the instance is filtered out, and said so.
    const s2 = await seeded({
      defaultPolicy: 'deny',
      tokens: [
        { secret: ROOT, management: true },
        { secret: 'exact', rules: { service: { web: 'read' }, node_prefix: { '': 'read' } } },
      ],
    });
    const hidden = await call(s2.url, 'GET', '/v1/health/connect/web', undefined, { 'X-Consul-Token': 'exact' });
    expect(hidden.json()).toEqual([]);
    expect(hidden.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBe('true');
  });

  it('catalog/services lists only readable services', async () => {
    const s = await seeded(ANON_POLICY);
    const asWeb = await call(s.url, 'GET', '/v1/catalog/services', undefined, { 'X-Consul-Token': WEB });
    expect(asWeb.json()).toEqual({ 'web-sidecar-proxy': [] });
    expect(asWeb.headers.get('X-Consul-Results-Filtered-By-ACLs')).toBe('true');
    const root = await call(s.url, 'GET', '/v1/catalog/services', undefined, { 'X-Consul-Token': ROOT });
    expect(Object.keys(root.json())).toEqual(['api-sidecar-proxy', 'web-sidecar-proxy']);
  });

  it('answers /v1/internal/acl/authorize for the request token, 401 when ACLs are off', async () => {
    const s = await seeded(ANON_POLICY);
    const checks = [
      { Resource: 'service', Segment: 'web-x', Access: 'read' },
      { Resource: 'service', Segment: 'api', Access: 'read' },
      { Resource: 'service', Segment: 'web-x', Access: 'write' },
    ];
    const r = await call(s.url, 'POST', '/v1/internal/acl/authorize', checks, { 'X-Consul-Token': WEB });
    expect(r.json().map((a: { Allow: boolean }) => a.Allow)).toEqual([true, false, false]);
    expect((await call(s.url, 'POST', '/v1/internal/acl/authorize', checks)).json().map((a: { Allow: boolean }) => a.Allow)).toEqual([false, false, false]);
    const tooMany = await call(s.url, 'POST', '/v1/internal/acl/authorize', Array(65).fill(checks[0]), { 'X-Consul-Token': WEB });
    expect([tooMany.status, tooMany.text]).toEqual([400, 'Refusing to process more than 64 authorizations at once']);
    const off = await call((await start()).url, 'POST', '/v1/internal/acl/authorize', checks);
    expect([off.status, off.text]).toEqual([401, 'ACL support disabled']);
  });

  it('sends X-Consul-Default-ACL-Policy: allow on every endpoint when ACLs are off, not on unknown paths', async () => {
    const s = await start();
    for (const [method, path] of [
      ['GET', '/v1/config/service-defaults'],
      ['GET', '/v1/config/service-defaults/missing'],
      ['GET', '/v1/catalog/services'],
      ['GET', '/v1/kv/missing'],
    ] as const)
      expect((await call(s.url, method, path)).headers.get('X-Consul-Default-ACL-Policy'), path).toBe('allow');
    expect((await call(s.url, 'GET', '/v1/nope')).headers.get('X-Consul-Default-ACL-Policy')).toBeNull();
  });
});

describe('--acl-policy-file', () => {
  it('reads a YAML policy file with Consul rule syntax', () => {
    const config = parseAclPolicyFile(
      ['default_policy: deny', 'tokens:', '  - secret: s1', '    rules:', '      service_prefix: { web: { policy: read } }', '      mesh: read'].join('\n'),
      'acl.yaml',
    );
    expect(config).toEqual({ defaultPolicy: 'deny', tokens: [{ secret: 's1', rules: { service_prefix: { web: 'read' }, mesh: 'read' } }] });
  });

  it('names file, line and field of a bad rule, and never quotes the secret', () => {
    const text = [
      'default_policy: deny',
      'tokens:',
      '  - secret: top-secret-value',
      '    rules:',
      '      service_prefix:',
      '        web: { policy: raed }',
    ].join('\n');
    let message = '';
    try {
      parseAclPolicyFile(text, 'acl.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^acl\.yaml:6: tokens\.0\.rules\.service_prefix\.web\.policy: /);
    expect(message).not.toContain('top-secret-value');
    expect(() => parseAclPolicyFile('{"tokens": [{"secret": "x", "rules": {"services": {}}}]}', 'acl.json')).toThrow(/acl\.json:1: tokens\.0\.rules/);
  });

  it('starts the command with the policy file, and refuses a bad one with exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acl-policy-'));
    const good = join(dir, 'acl.json');
    writeFileSync(good, JSON.stringify({ default_policy: 'deny', tokens: [{ secret: 'reader', rules: { service_prefix: { '': { policy: 'read' } } } }] }));
    let out = '';
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const run = devServerCommand(['--port', '0', '--acl-policy-file', good], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true } }, stopped);
    for (let i = 0; i < 100 && !out; i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (\S+)/.exec(out)![1];
    expect((await call(url, 'GET', '/v1/config/service-defaults', undefined, { 'X-Consul-Token': 'reader' })).status).toBe(200);
    expect((await call(url, 'PUT', '/v1/config', { Kind: 'mesh' }, { 'X-Consul-Token': 'reader' })).status).toBe(403);
    stop();
    expect(await run).toBe(0);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'default_policy: maybe\n');
    let err = '';
    expect(await devServerCommand(['--port', '0', '--acl-policy-file', bad], { stdout: { write: () => true }, stderr: { write: (s) => (err += s) } })).toBe(1);
    expect(err).toContain(`${bad}:1: default_policy`);
  });
});
