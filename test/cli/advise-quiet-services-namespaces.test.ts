// `advisor.expectNoInboundTraffic` names services, and on Consul Enterprise a name is not a service:
// `cron` in namespace `default` and `cron` in namespace `billing` are two services with their own
// sidecars and callers. Through main() against the loopback Enterprise double, a bare name marks
// the one in the default namespace and partition only; `billing/cron` (namespace/name) or
// `default/billing/cron` (partition/namespace/name) marks the other. A same-named service elsewhere
// with no mTLS traffic at all must keep its `no-mtls-traffic-yet`, never be called ready.
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { trafficBy } from '../support/traffic-double.ts';

const NOW = new Date('2026-11-25T12:00:00Z');

let consul: EnterpriseDouble | undefined;
afterEach(async () => {
  await consul?.close();
  consul = undefined;
});

/** Both `cron`s inherit permissive mode and saw no traffic at all, plaintext or mTLS. */
async function advise(quiet: string): Promise<string[][]> {
  consul = await startEnterpriseDouble({ sidecars: ['cron'], sidecarsIn: { billing: ['cron'] } });
  consul.put({
    Kind: 'proxy-defaults',
    Name: 'global',
    MutualTLSMode: 'permissive',
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/proxy-defaults.hcl' },
  });
  const cwd = tempTree({
    'consul-gitops.yaml': `targets:\n  - name: ent\n    namespaces: [default, billing]\n    advisor:\n      expectNoInboundTraffic: ${quiet}\n`,
    'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n',
  });
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', consul.url, '--stats', 'envoy', '--json'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => NOW, trafficSource: () => trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 0 }]), env: {} },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const services = JSON.parse(stdout).services as { service: string; namespace: string; verdict: string; reasons: string[] }[];
  // Where the rule applies, the reason names the item that would skip it for this service alone.
  for (const s of services.filter((x) => x.verdict === 'no-mtls-traffic-yet'))
    expect(s.reasons.join('\n')).toContain(`add ${s.namespace === 'default' ? 'cron' : `${s.namespace}/cron`} to advisor.expectNoInboundTraffic`);
  return services.map((s) => [s.namespace, s.service, s.verdict]);
}

describe('advisor.expectNoInboundTraffic on Consul Enterprise', () => {
  it('[cron] marks cron of the default namespace only; billing’s cron still needs mTLS traffic', async () => {
    expect(await advise('[cron]')).toEqual([
      ['billing', 'cron', 'no-mtls-traffic-yet'],
      ['default', 'cron', 'ready-for-strict'],
    ]);
  });

  it('[billing/cron] and [default/billing/cron] mark billing’s cron only', async () => {
    for (const quiet of ['[billing/cron]', '[default/billing/cron]', '[Default/Billing/cron]'])
      expect(await advise(quiet)).toEqual([
        ['billing', 'cron', 'ready-for-strict'],
        ['default', 'cron', 'no-mtls-traffic-yet'],
      ]);
  });
});
