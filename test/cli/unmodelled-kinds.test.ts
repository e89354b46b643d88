// Kinds a Consul of the supported range has and consul-gitops does not model (src/model/unmodelled-kinds.ts):
// a file of such a kind is refused by name, with file, line and the reason, and nothing is applied;
// plan and apply never ask Consul for entries of that kind, so a live one is never touched.
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer | undefined;
let proxy: ConsulProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

const RATE_LIMIT = `Kind = "rate-limit"
Name = "global"
Config {
  ReadRate = 100
}
`;
const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n';

describe('a kind of Consul 2.x that consul-gitops does not model', () => {
  it('validate names it, with file and line, instead of calling it an invalid kind', async () => {
    const run = await runCli(['validate', 'config-entries'], tempTree({ 'config-entries/rl.hcl': RATE_LIMIT, 'config-entries/api.hcl': API }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'config-entries/rl.hcl:1:8: Kind: "rate-limit" is a config entry kind of Consul 2.0 Enterprise (hashicorp/consul#23274) that consul-gitops does not model',
    );
    expect(run.stderr).not.toContain('invalid config entry kind');
  });

  it('apply writes nothing, and no request ever names the kind', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
    proxy = await startConsulProxy(server.url, () => 'forward');
    const dir = tempTree({
      'config-entries/rl.hcl': RATE_LIMIT,
      'config-entries/ig.hcl': 'Kind = "inference-gateway"\nName = "ig"\n',
      'config-entries/api.hcl': API,
    });
    const run = await runCli(['apply', '--auto-approve', '--consul', proxy.url], dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('"inference-gateway" is a config entry kind of Consul Enterprise');
    // Only the apply lock's KV writes (acquire, release) reach Consul: no config entry is written or deleted.
    expect(proxy.seen.filter((r) => /^(PUT|DELETE) \/v1\/config/.test(r))).toEqual([]);
    expect(proxy.seen.filter((r) => /rate-limit|inference-gateway/.test(r))).toEqual([]);
    expect((await fetch(`${server.url}/v1/config/service-defaults/api`)).status).toBe(404);
  });
});
