// `plan` on an Enterprise target that names many namespaces lists each kind a few namespaces at a
// time, not all at once (make-plan lists every kind together, so 30 names were hundreds of requests
// open at one Consul), and a namespace the token may not read still stops it with the first such
// namespace in order: through the CLI against the Enterprise double, behind a loopback relay that
// counts the config-entry lists in flight per kind.
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from './enterprise-double.ts';
import { NAMESPACE_READ_CONCURRENCY } from '../../../src/adapters/consul/bounded-reads.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';
import { startHoldingRelay, type HoldingRelay } from '../../support/holding-relay.ts';

const NAMESPACES = Array.from({ length: 30 }, (_, i) => `team-${String(i).padStart(2, '0')}`);

/** Holds config-entry list answers per kind; counts the service-defaults lists open at once. */
function startRelay(target: string): Promise<HoldingRelay> {
  return startHoldingRelay(target, {
    limit: NAMESPACE_READ_CONCURRENCY,
    counted: 'service-defaults',
    groupOf: (req) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      return req.method === 'GET' && /^\/v1\/config\/[^/]+$/.test(path) ? path.slice('/v1/config/'.length) : undefined;
    },
  });
}

let consul: EnterpriseDouble | undefined;
let relay: HoldingRelay | undefined;
afterEach(async () => {
  await relay?.close();
  await consul?.close();
  relay = consul = undefined;
});

function plan() {
  const cwd = tempTree({
    'consul-gitops.yaml': `targets:\n  - name: ent\n    prune: true\n    namespaces: [${NAMESPACES.join(', ')}]\n`,
    'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nNamespace = "team-00"\nProtocol = "http"\n',
  });
  return runCli(['plan', '--consul', relay!.url], cwd);
}

describe('config-entry lists over named namespaces', () => {
  it(`${NAMESPACES.length} namespaces: every one is listed, at most ${NAMESPACE_READ_CONCURRENCY} of a kind at once`, async () => {
    consul = await startEnterpriseDouble();
    const owned = (source: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': source });
    consul.put({ Kind: 'service-defaults', Name: 'web', Namespace: 'team-00', Protocol: 'grpc', Meta: owned('config-entries/web.hcl') });
    consul.put({ Kind: 'service-defaults', Name: 'old', Namespace: 'team-29', Protocol: 'grpc', Meta: owned('config-entries/old.hcl') });
    relay = await startRelay(consul.url);
    const run = await plan();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('~ update service-defaults/web (namespace=team-00)');
    expect(run.stdout).toContain('- delete service-defaults/old (namespace=team-29)');
    const listed = consul.http.requests
      .filter((r) => r.method === 'GET' && new URL(r.url, 'http://x').pathname === '/v1/config/service-defaults')
      .map((r) => new URL(r.url, 'http://x').searchParams.get('ns'));
    expect(new Set(listed)).toEqual(new Set(NAMESPACES));
    expect(relay.peak).toBeGreaterThan(1);
    expect(relay.peak).toBeLessThanOrEqual(NAMESPACE_READ_CONCURRENCY);
  });

  it('a hidden namespace stops the plan with its own incomplete-read error, the first in order when several are', async () => {
    consul = await startEnterpriseDouble({ hidden: ['team-10', 'team-25'] });
    // A list ACLs filtered is one that left an entry out (the double, as Consul, says so only then).
    for (const ns of ['team-10', 'team-25']) consul.put({ Kind: 'service-defaults', Name: 'api', Namespace: ns, Protocol: 'http' });
    relay = await startRelay(consul.url);
    const run = await plan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is incomplete');
    expect(run.stderr).toContain('ns=team-10');
    expect(run.stderr).not.toContain('team-25');
    expect(run.stdout).not.toContain('Plan:');
  });
});
