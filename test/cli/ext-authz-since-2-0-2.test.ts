// Which Consul 2.0 patch first has api-gateway and http-route `ExtAuthz` (issue 11, the † rows, stop 20):
// the backport (hashicorp/consul#23708) merged on 2026-07-03, after consul-k8s 2.0.1 (June 24, 2026,
// released with Consul 2.0.1) and before consul-k8s 2.0.2 (July 14, 2026), whose changelog first writes
// ext_authz and "Requires a Consul version with API Gateway ext_authz support" (consul-k8s CHANGELOG.md,
// GH-5444). A 2.0.1 target is therefore warned before the write; a 2.0.2 one is not.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const tree = (version: string) =>
  tempTree({
    'consul-gitops.yaml': `targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: ${version}\n`,
    'config-entries/gw.hcl': 'Kind = "api-gateway"\nName = "gw"\nExtAuthz {}\nListeners = [{ Name = "l1", Port = 8080, Protocol = "http" }]\n',
  });

describe('ExtAuthz is dated at Consul 2.0.2', () => {
  it('a 2.0.1 target is warned that its Consul refuses the key', async () => {
    const run = await runCli(['validate'], tree('2.0.1'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Consul 2.0.1 (target "prod") does not know this field, added in Consul 2.0.2');
  });

  it('a 2.0.2 target is not warned', async () => {
    const run = await runCli(['validate'], tree('2.0.2'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
