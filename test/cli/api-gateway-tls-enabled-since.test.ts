// api-gateway gateway-level `TLS.Enabled` (zero-touch downstream TLS) is a Consul 2.1 field (issue 11,
// the † rows, stop 20): .changelog/23647.txt of hashicorp/consul files "Support zero-touch downstream
// TLS termination. When `TLS { Enabled = true }` is set on an `api-gateway` config entry…" as a
// feature of #23647, opened 2026-06-09, after Consul 2.0.0 (2026-05-22), with no 2.0.x backport seen.
// A 2.0.x target is warned before the write, even for `Enabled = false`; the gateway-level `TLS`
// block itself stays a 2.0.0 field, so a 2.0.x target using only its versions is not warned.
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest({ consulVersion: '2.0.4' });

const tree = (tls: string) =>
  tempTree({
    'consul-gitops.yaml': 'targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: 2.0.4\n',
    'config-entries/gw.hcl': `Kind = "api-gateway"\nName = "gw"\nTLS {\n  ${tls}\n}\nListeners = [{ Name = "l1", Port = 8080, Protocol = "http" }]\n`,
  });

describe('api-gateway TLS.Enabled is dated at Consul 2.1.0', () => {
  it('a 2.0.4 target is warned of `TLS { Enabled = true }` and of `Enabled = false`, with file and line', async () => {
    for (const value of ['true', 'false']) {
      const run = await runCli(['validate'], tree(`Enabled = ${value}`));
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('config-entries/gw.hcl:4');
      expect(run.stderr).toContain('Consul 2.0.4 (target "prod") does not know this field, added in Consul 2.1.0');
      expect(run.stderr).toContain('invalid config key "TLS.Enabled"');
    }
  });

  it('the gateway-level TLS versions alone are not warned for 2.0.4', async () => {
    const run = await runCli(['validate'], tree('TLSMinVersion = "TLSv1_2"'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('the dev server run as 2.0.4 refuses TLS.Enabled as Consul 2.0 would', async () => {
    const res = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'api-gateway', Name: 'gw', TLS: { Enabled: true }, Listeners: [{ Name: 'l1', Port: 8080, Protocol: 'http' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid config key "TLS.Enabled"');
  });
});
