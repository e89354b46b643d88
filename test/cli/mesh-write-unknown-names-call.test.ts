// The mesh:write "cannot tell" warning names the call that failed (issue 11, stop 21): the plan asks
// Consul `POST /v1/internal/acl/authorize` (agent/acl_endpoint.go ACLAuthorize) whether the token
// may write the mesh; when the answer is lost on the way (test/support/consul-proxy.ts between
// consul-gitops and the dev server), the warning says which call and how it failed, so the user
// knows what to check, and never the token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DevServerOptions } from '../../src/dev-server/server.ts';
import { startConsulProxy } from '../support/consul-proxy.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const ROOT = 'root-3b9f0c44-0000-4000-8000-000000000001';
const NO_MESH = 'nomesh-3b9f0c44-0000-4000-8000-000000000002';
const ACL: DevServerOptions['acl'] = {
  defaultPolicy: 'deny',
  tokens: [
    { secret: ROOT, management: true },
    { secret: NO_MESH, rules: { service_prefix: { '': 'write' }, intention_prefix: { '': 'read' }, mesh: 'read', key_prefix: { 'consul-gitops/': 'write' } } },
  ],
};
const server = devServerPerTest({ acl: ACL });
const saved: Partial<Record<string, string>> = {};
beforeEach(() => {
  for (const k of ['CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE']) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

describe('plan: the mesh:write "cannot tell" warning', () => {
  it('names the ACL authorize call and how it failed, never the token', async () => {
    const proxy = await startConsulProxy(server.url, (req) => (req.url?.startsWith('/v1/internal/acl/authorize') ? 'lose-answer' : 'forward'));
    try {
      process.env.CONSUL_HTTP_TOKEN = NO_MESH;
      const plan = await runCli(
        ['plan', '--consul', proxy.url],
        tempTree({ 'config-entries/mesh.hcl': 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n' }),
      );
      expect(plan.code).toBe(0);
      expect(plan.stdout).toMatch(
        /mesh\/mesh: this write needs mesh:write, and the plan cannot tell whether the token has it \(the ACL authorize call POST \/v1\/internal\/acl\/authorize got no answer: [A-Z_]+ [^)]+\): if not, Consul refuses it with 403 Permission denied/,
      );
      expect(plan.stdout + plan.stderr).not.toContain(NO_MESH);
    } finally {
      await proxy.close();
    }
  });
});
