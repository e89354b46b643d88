// A target whose consulVersion says `+ent` pointed at a Consul CE server (issue 11, stop 21). Two
// ways CE shows itself: its reported version (GET /v1/agent/self Config.Version carries `+ent` on
// Enterprise: agent/config/runtime.go RuntimeConfig.VersionWithMetadata), read when the token may
// (agent:read); else its answer to the list of an Enterprise-only kind (CE's MakeConfigEntry,
// agent/structs/config_entry.go, has no case for control-plane-request-limit: 500 `invalid config
// entry kind`). Either way the run stops naming the target and its consulVersion, nothing written.
// The dev server is CE; test/support/consul-proxy.ts records what is asked of it.
import { describe, expect, it } from 'vitest';
import type { DevServerOptions } from '../../src/dev-server/server.ts';
import { startConsulProxy } from '../support/consul-proxy.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

const ROOT = 'root-5c1e7a20-0000-4000-8000-000000000001';
// Reads every config entry and writes KV and entries, but may not read /v1/agent/self (no agent rule).
const NO_AGENT = 'noagent-5c1e7a20-0000-4000-8000-000000000002';
const ACL: DevServerOptions['acl'] = {
  defaultPolicy: 'deny',
  tokens: [
    { secret: ROOT, management: true },
    {
      secret: NO_AGENT,
      rules: { service_prefix: { '': 'write' }, intention_prefix: { '': 'write' }, mesh: 'write', key_prefix: { 'consul-gitops/': 'write' } },
    },
  ],
};
const dev = devServerPerTest({ acl: ACL });

const ENT = 'targets:\n  - name: east\n    dir: config-entries\n    consulVersion: "1.22.5+ent"\n';
const FILES = { 'consul-gitops.yaml': ENT, 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' };
withoutConsulEnv(['CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE']);
const as = (token: string) => {
  process.env.CONSUL_HTTP_TOKEN = token;
};

describe('a `+ent` target on Consul CE', () => {
  it('the server’s reported version is CE: apply stops before any list, naming the target and its consulVersion', async () => {
    const proxy = await startConsulProxy(dev.url, () => 'forward');
    try {
      as(ROOT);
      const run = await runCli(['apply', '--auto-approve', '--consul', proxy.url], tempTree(FILES));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^error: target "east": consul-gitops\.yaml says consulVersion "1\.22\.5\+ent", Consul Enterprise, but the server reports Consul "[0-9.]+" \(GET \/v1\/agent\/self\), which is Consul CE; nothing was written: point the target at its Enterprise server, or remove "\+ent" from consulVersion\n$/,
      );
      expect(proxy.seen.filter((s) => s.startsWith('GET /v1/config'))).toEqual([]);
      expect(proxy.seen.filter((s) => !s.startsWith('GET '))).toEqual([]);
    } finally {
      await proxy.close();
    }
    expect(await (await fetch(`${dev.url}/v1/config/service-defaults`, { headers: { 'x-consul-token': ROOT } })).json()).toEqual([]);
  });

  it('plan --json says it with the `config` code', async () => {
    as(ROOT);
    const run = await runCli(['plan', '--json', '--consul', dev.url], tempTree(FILES));
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { error: { code: string; message: string } };
    expect(out.error.code).toBe('config');
    expect(out.error.message).toContain('target "east": consul-gitops.yaml says consulVersion "1.22.5+ent", Consul Enterprise, but the server reports Consul');
  });

  it('the version cannot be read (no agent:read): the Enterprise-only list’s CE answer says it instead, and nothing is written', async () => {
    const proxy = await startConsulProxy(dev.url, () => 'forward');
    try {
      as(NO_AGENT);
      const run = await runCli(['apply', '--auto-approve', '--consul', proxy.url], tempTree(FILES));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'error: target "east": consul-gitops.yaml says consulVersion "1.22.5+ent", Consul Enterprise, but the server answered as Consul CE: listing control-plane-request-limit gave GET /v1/config/control-plane-request-limit: 500 "invalid config entry kind: control-plane-request-limit" (CE has no such kind); nothing was written: point the target at its Enterprise server, or remove "+ent" from consulVersion\n',
      );
      expect(run.stderr).not.toContain(NO_AGENT);
      expect(proxy.seen).toContainEqual(expect.stringMatching(/^GET \/v1\/agent\/self/));
      // Only the target lock is taken and given back (KV); no entry is written.
      expect(proxy.seen.filter((s) => !s.startsWith('GET ') && !s.startsWith('PUT /v1/kv/consul-gitops/state/east/lock'))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('a target without consulVersion on the same server plans as before (CE detected)', async () => {
    as(ROOT);
    const run = await runCli(['plan', '--consul', dev.url], tempTree({ ...FILES, 'consul-gitops.yaml': ENT.replace(/ {4}consulVersion.*\n/, '') }));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('+ create service-defaults/api');
    expect(run.code).toBe(0);
  });
});
