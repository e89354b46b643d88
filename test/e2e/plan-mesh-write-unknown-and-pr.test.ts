// The mesh:write plan warning's other two paths (issue 11, stop 20; the first path is
// test/e2e/plan-mesh-write-warning.test.ts). "Cannot tell": Consul itself never refuses the
// authorize call to a token the plan's reads accepted: agent/acl_endpoint.go ACLAuthorize and
// agent/consul/acl_endpoint.go ACL.Authorize need no right (no acl:read), only enabled ACLs (401
// otherwise, which the plan reads as "ACLs off") and a token that resolves, which the plan's own reads
// already needed. So the answer is lost on the way (a proxy between consul-gitops and the dev server,
// test/support/consul-proxy.ts), not refused by the dev server. And the pull request's plan comment
// (serve with the GitHub double) shows the warning a reviewer must see before merging.
import { afterEach, describe, expect, it } from 'vitest';
import type { DevServerOptions } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const ROOT = 'root-7a2d4e61-0000-4000-8000-000000000001';
const NO_MESH = 'nomesh-7a2d4e61-0000-4000-8000-000000000002';
const ACL: DevServerOptions['acl'] = {
  defaultPolicy: 'deny',
  tokens: [
    { secret: ROOT, management: true },
    { secret: NO_MESH, rules: { service_prefix: { '': 'write' }, intention_prefix: { '': 'read' }, mesh: 'read', key_prefix: { 'consul-gitops/': 'write' } } },
  ],
};
const MESH = 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n';
withoutConsulEnv(['CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE']);

const server = devServerPerTest({ acl: ACL });

describe('plan: the mesh:write warning when Consul’s answer to the authorize call is lost', () => {
  let proxy: ConsulProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('each write that needs mesh:write is named "cannot tell", with the reason, and the plan still completes', async () => {
    proxy = await startConsulProxy(server.url, (req) => (req.url?.startsWith('/v1/internal/acl/authorize') ? 'lose-answer' : 'forward'));
    process.env.CONSUL_HTTP_TOKEN = NO_MESH;
    const dir = tempTree({ 'config-entries/mesh.hcl': MESH, 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
    const plan = await runCli(['plan', '--consul', proxy.url], dir);
    expect(plan.stdout).toContain('mesh/mesh: this write needs mesh:write, and the plan cannot tell whether the token has it (');
    expect(plan.stdout).toContain('if not, Consul refuses it with 403 Permission denied');
    expect(plan.stdout).not.toContain('service-defaults/api: this write needs mesh:write');
    expect(plan.stdout).toContain('Plan: 2 to create');
    expect(plan.stdout + plan.stderr).not.toContain(NO_MESH);
    expect(proxy.seen.some((s) => s.startsWith('POST /v1/internal/acl/authorize'))).toBe(true);
  });
});

describe("serve's pull request comment shows the mesh:write warning", () => {
  let h: ServeHarness;
  afterEach(() => h.close());

  it('a token without mesh:write: the comment names the mesh entry and the missing right', async () => {
    h = await startServeHarness({ startServe: false, consul: { acl: ACL } });
    h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'base', { branch: 'master' });
    await h.startServe({ env: { CONSUL_HTTP_TOKEN: NO_MESH } });
    const opened = await h.openPullRequest('mesh-tproxy', {
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
      'config-entries/mesh.hcl': MESH,
    });
    expect(opened.status).toBe(202);
    expect(h.github.comments).toHaveLength(1);
    const body = h.github.comments[0].body;
    expect(body).toContain('<code>mesh/mesh</code>');
    expect(body).toContain('the token lacks mesh:write, which this write needs: Consul will refuse it with 403 Permission denied');
    // Nothing was written by a pull request's plan.
    expect((await fetch(`${h.consul.url}/v1/config/mesh/mesh`, { headers: { 'x-consul-token': ROOT } })).status).toBe(404);
  });
});
