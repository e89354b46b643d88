// The commit status of a push run with a token that reads or writes less than the run needs: GitHub
// keeps 140 characters of it, and they must say which request ACLs cut short and which right is
// missing, not spend themselves on Consul's AccessorID or on explaining the filtered-results header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const ROOT = 'root-3f6b9a2c-0000-4000-8000-000000000001';
const WEB_ONLY = 'web-3f6b9a2c-0000-4000-8000-000000000002';
const READ_ONLY = 'ro-3f6b9a2c-0000-4000-8000-000000000003';
const READ_WRITES_KV = 'kv-3f6b9a2c-0000-4000-8000-000000000004';
const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness({
    startServe: false,
    consul: {
      acl: {
        defaultPolicy: 'deny',
        tokens: [
          { secret: ROOT, management: true },
          { secret: WEB_ONLY, rules: { service_prefix: { web: 'read' }, key_prefix: { 'consul-gitops/': 'write' } } },
          { secret: READ_WRITES_KV, rules: { service_prefix: { '': 'read' }, mesh: 'read', key_prefix: { 'consul-gitops/': 'write' } } },
          { secret: READ_ONLY, rules: { service_prefix: { '': 'read' }, mesh: 'read', key_prefix: { 'consul-gitops/': 'read' } } },
        ],
      },
    },
  });
});
afterAll(() => h.close());

const lastStatus = () => h.github.statuses.at(-1)!;

describe('serve: a push run with a scoped token', () => {
  it('a token that reads only web*: the status names the list and service:read on every service; nothing applied', async () => {
    // An entry the token may not read: Consul leaves it out of the list and says so.
    const api = { Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' };
    await fetch(`${h.consul.url}/v1/config`, { method: 'PUT', headers: { 'x-consul-token': ROOT }, body: JSON.stringify(api) });
    await h.startServe({ env: { CONSUL_HTTP_TOKEN: WEB_ONLY } });
    expect(await h.push({ 'config-entries/web.hcl': WEB })).toBe(202);
    expect(lastStatus()).toMatchObject({ state: 'error' });
    expect(lastStatus().description).toContain('token cannot read all of GET /v1/config/');
    expect(lastStatus().description).toContain('it needs service:read on every service');
    expect(lastStatus().description!.length).toBeLessThanOrEqual(140);
    expect((await fetch(`${h.consul.url}/v1/config/service-defaults/web`, { headers: { 'x-consul-token': ROOT } })).status).toBe(404);
  });

  it('a token that reads every entry but may write none: the status names the entry and the right its write lacks', async () => {
    await h.startServe({ env: { CONSUL_HTTP_TOKEN: READ_WRITES_KV } });
    expect(await h.push({ 'config-entries/web.hcl': WEB })).toBe(202);
    expect(lastStatus()).toMatchObject({ state: 'failure' });
    expect(lastStatus().description).toContain(`Not applied: service-defaults/web (failed: token lacks 'service:write' on "web")`);
  });

  it('a token that may not write the lock: the status names key:write and the key', async () => {
    await h.startServe({ env: { CONSUL_HTTP_TOKEN: READ_ONLY } });
    expect(await h.push({ 'config-entries/web.hcl': WEB })).toBe(202);
    expect(lastStatus()).toMatchObject({ state: 'error' });
    expect(lastStatus().description).toBe(`reconcile failed: token lacks permission 'key:write' on "consul-gitops/state/default/lock"`);
  });
});
