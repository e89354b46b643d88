// `consul-gitops plan` through the CLI's main() against the dev server, for an entry consul-k8s owns
// (`external-source = kubernetes`, never written) that differs from its file only by a zero someone
// set in Consul: a Go pointer field (`EnforcingConsecutive5xx = 0`, which Envoy reads as "eject on
// 0%", unlike unset) or a key of proxy-defaults' `Config`. The plan lists how it differs under
// "Left alone"; that line must say the value is there and the file lacks it, not `0 → 0`.
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerTest();
/** A write behind consul-gitops' back, which Consul accepts. */
async function put(entry: Record<string, unknown>): Promise<void> {
  expect(await consul.put(entry)).toBe('true');
}

const K8S = { 'external-source': 'kubernetes' };

describe('plan: an entry consul-k8s owns that differs by a zero', () => {
  it('a pointer field and a Config key set to 0 in Consul show as present, not 0 → 0', async () => {
    await put({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      UpstreamConfig: { Defaults: { PassiveHealthCheck: { Interval: '10s', MaxFailures: 3, EnforcingConsecutive5xx: 0 } } },
      Meta: K8S,
    });
    await put({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http', local_connect_timeout_ms: 0 }, Meta: K8S });
    const dir = tempTree({
      'config-entries/api.hcl':
        'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nUpstreamConfig { Defaults { PassiveHealthCheck {\n  Interval = "10s"\n  MaxFailures = 3\n} } }\n',
      'config-entries/proxy.hcl': 'Kind = "proxy-defaults"\nName = "global"\nConfig { protocol = "http" }\n',
    });

    const text = await runCli(['plan', '--consul', consul.url, '--detailed-exitcode'], dir);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain('2 entries differ from Git that consul-gitops does not write');
    expect(text.stdout).not.toContain('0 → 0');
    expect(text.stdout).toMatch(/- "UpstreamConfig\.Defaults\.PassiveHealthCheck\.EnforcingConsecutive5xx" = 0\n/);
    expect(text.stdout).toMatch(/- "Config\.local_connect_timeout_ms" = 0\n/);
  });
});
