// `advise` on an Enterprise target with many namespaces reads their catalogs a few at a time, not
// all at once, and a namespace the token may not read still stops it with that namespace's own
// error: through main() against the Enterprise double, behind a loopback relay that counts the
// catalog requests in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from './enterprise-double.ts';
import { main } from '../../../src/cli/main.ts';
import { NAMESPACE_READ_CONCURRENCY } from '../../../src/adapters/consul/bounded-reads.ts';
import { tempTree } from '../../support/run-cli.ts';
import { trafficBy } from '../../support/traffic-double.ts';
import { startHoldingRelay, type HoldingRelay } from '../../support/holding-relay.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const NAMESPACES = Array.from({ length: 40 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
/** A sidecar in every tenth namespace (judging a service costs time; reading a namespace is what is counted). */
const SIDECARS = Object.fromEntries(NAMESPACES.map((n, i) => [n, i % 10 === 0 ? [`svc-${n}`] : []]));

/**
 * Holds the namespaces' catalog answers; counts those open at once. The datacenters list a run
 * reads beside them (WAN federation, no namespace) is not a namespace read.
 */
function startRelay(target: string): Promise<HoldingRelay> {
  return startHoldingRelay(target, {
    limit: NAMESPACE_READ_CONCURRENCY,
    groupOf: (req) => ((req.url ?? '').startsWith('/v1/catalog/services') ? 'catalog' : undefined),
  });
}

let consul: EnterpriseDouble | undefined;
let relay: HoldingRelay | undefined;
afterEach(async () => {
  await relay?.close();
  await consul?.close();
  relay = consul = undefined;
});

async function advise(namespaces: string) {
  consul!.put({
    Kind: 'proxy-defaults',
    Name: 'global',
    MutualTLSMode: 'permissive',
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/proxy-defaults.hcl' },
  });
  const cwd = tempTree({
    'consul-gitops.yaml': `targets:\n  - name: ent\n    namespaces: ${namespaces}\n`,
    'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n',
  });
  let stdout = '';
  let stderr = '';
  const source = trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]);
  const code = await main(
    ['advise', '--consul', relay!.url, '--stats', 'envoy', '--json'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => NOW, trafficSource: () => source, env: {} },
  );
  return { code, stdout, stderr };
}

describe("the advisor's namespace reads", () => {
  it(`namespaces: all over ${NAMESPACES.length} namespaces: every one is read, at most ${NAMESPACE_READ_CONCURRENCY} at once`, async () => {
    consul = await startEnterpriseDouble({ sidecarsIn: SIDECARS });
    relay = await startRelay(consul.url);
    const run = await advise('all');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const judged = (JSON.parse(run.stdout).services as { service: string; namespace: string }[]).map((s) => `${s.namespace}/${s.service}`).sort();
    expect(judged).toEqual(['team-00/svc-team-00', 'team-10/svc-team-10', 'team-20/svc-team-20', 'team-30/svc-team-30']);
    const read = consul.http.requests.filter((r) => r.url.startsWith('/v1/catalog/services')).map((r) => new URL(r.url, 'http://x').searchParams.get('ns'));
    expect(new Set(read)).toEqual(new Set(['default', ...NAMESPACES]));
    expect(relay.peak).toBeGreaterThan(1);
    expect(relay.peak).toBeLessThanOrEqual(NAMESPACE_READ_CONCURRENCY);
  });

  it('a hidden namespace stops the advice with its own incomplete-read error, the first in order when several are', async () => {
    consul = await startEnterpriseDouble({
      hidden: ['team-10', 'team-30'],
      sidecarsIn: SIDECARS,
    });
    relay = await startRelay(consul.url);
    const run = await advise(`[${NAMESPACES.join(', ')}]`);
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error as { message: string };
    expect(error.message).toContain('is incomplete');
    expect(error.message).toContain('ns=team-10');
    expect(error.message).not.toContain('team-30');
    expect(relay.peak).toBeLessThanOrEqual(NAMESPACE_READ_CONCURRENCY);
  });
});
