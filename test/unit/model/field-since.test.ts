// Issue 11 (classes 2 and 3): the versions FIELD_SINCE records, as `validate` reports them for a
// target's consulVersion. Evidence per field in docs/consul-versions.md.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const yaml = (version: string) => `targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: "${version}"\n`;

async function validateAt(version: string, file: string, text: string) {
  return runCli(['validate', 'config-entries'], tempTree({ 'consul-gitops.yaml': yaml(version), [`config-entries/${file}`]: text }));
}

// hashicorp/consul#23563 added the gateway-failure counters in May 2026, backported to release/2.0.x only.
const WEB = `Kind = "service-defaults"
Name = "web"
upstream_config {
  defaults {
    passive_health_check {
      consecutive_5xx = 3
      consecutive_gateway_failure = 2
      enforcing_consecutive_gateway_failure = 100
    }
  }
}
`;

describe('PassiveHealthCheck gateway-failure counters are Consul 2.0 fields', () => {
  it('a 1.22 target is told its Consul does not know them', async () => {
    const run = await validateAt('1.22.3', 'web.hcl', WEB);
    expect(run.code).toBe(0);
    for (const field of ['Consecutive5xx', 'ConsecutiveGatewayFailure', 'EnforcingConsecutiveGatewayFailure'])
      expect(run.stderr).toContain(
        `UpstreamConfig.Defaults.PassiveHealthCheck.${field}: Consul 1.22.3 (target "prod") does not know this field, added in Consul 2.0.0`,
      );
  });

  it('a 2.0 target is not', async () => {
    const run = await validateAt('2.0.0', 'web.hcl', WEB);
    expect(run.stderr).not.toContain('does not know this field');
    expect(run.code).toBe(0);
  });
});

describe('MaxRequestHeadersKB is a 1.22.0 field', () => {
  it('on service-defaults and on api-gateway listeners', async () => {
    const sd = await validateAt('1.21.9', 'web.hcl', 'Kind = "service-defaults"\nName = "web"\nMaxRequestHeadersKB = 96\n');
    expect(sd.stderr).toContain('MaxRequestHeadersKB: Consul 1.21.9 (target "prod") does not know this field, added in Consul 1.22.0');
    const ok = await validateAt('1.22.0', 'web.hcl', 'Kind = "service-defaults"\nName = "web"\nMaxRequestHeadersKB = 96\n');
    expect(ok.stderr).toBe('');
  });
});
