// `plan` warns when it writes an entry that needs mesh:write and the token lacks it (issue 11, stop
// 19): Consul's CanWrite asks mesh:write for mesh-scoped kinds and for service-defaults with
// code-executing extensions (ServiceConfigEntry.CanWrite at hashicorp/consul 03658a0), and the apply
// would fail with 403. The token's right is asked of Consul (POST /v1/internal/acl/authorize), with the
// dev server's ACLs, through the CLI.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

const ROOT = 'root-5e1f0c52-0000-4000-8000-000000000001';
const NO_MESH = 'nomesh-5e1f0c52-0000-4000-8000-000000000002';
// A fresh dev server with default-deny ACLs for each test (test/support/dev-server-per-test.ts).
const server = devServerPerTest({
  acl: {
    defaultPolicy: 'deny',
    tokens: [
      { secret: ROOT, management: true },
      {
        secret: NO_MESH,
        rules: { service_prefix: { '': 'write' }, intention_prefix: { '': 'read' }, mesh: 'read', key_prefix: { 'consul-gitops/': 'write' } },
      },
    ],
  },
});

const LUA =
  'EnvoyExtensions = [{\n  Name = "builtin/lua"\n  Arguments = { ProxyType = "connect-proxy", Listener = "inbound", Script = "function envoy_on_request(h) end" }\n}]\n';
const files = {
  'config-entries/web.hcl': `Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n${LUA}`,
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n',
};

describe('plan warns before a write Consul will refuse for want of mesh:write', () => {
  it('a token without mesh:write: the mesh entry and the lua service-defaults are named, the plain one is not, and apply then fails with 403', async () => {
    process.env.CONSUL_HTTP_TOKEN = NO_MESH;
    const dir = tempTree(files);
    const plan = await runCli(['plan', '--consul', server.url], dir);
    expect(plan.stdout).toContain('mesh/mesh: the token lacks mesh:write, which this write needs: Consul will refuse it with 403 Permission denied');
    expect(plan.stdout).toContain('service-defaults/web: the token lacks mesh:write');
    expect(plan.stdout).not.toContain('service-defaults/api: the token lacks mesh:write');
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.code).not.toBe(0);
    expect(apply.stderr + apply.stdout).toContain("lacks permission 'mesh:write'");
  });

  it('a token with mesh:write: no such warning', async () => {
    process.env.CONSUL_HTTP_TOKEN = ROOT;
    const plan = await runCli(['plan', '--consul', server.url], tempTree(files));
    expect(plan.stdout).toContain('service-defaults/web');
    expect(plan.stdout).not.toContain('mesh:write');
  });
});
