// Class 2 of issue 11: an api-gateway that the newest Consul stores with gateway-level TLS
// (structs.APIGatewayConfigEntry.TLS, docs/consul-versions.md) is managed like any other field:
// plan shows TLS as the file sets it, and apply keeps it, instead of taking it for a field
// consul-gitops does not know and refusing the update without --allow-field-loss.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerHolding } from '../support/dev-server-holding.ts';

const OWNED = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/edge.hcl' };
const TLS = { Enabled: true, TLSMinVersion: 'TLSv1_2', SDS: { ClusterName: 'sds', CertResource: 'edge-default' } };
const LIVE = { Kind: 'api-gateway', Name: 'edge', TLS, Listeners: [{ Name: 'web', Port: 8443, Protocol: 'http' }], Meta: OWNED };

let server: DevServer;

/** A dev server answering as Consul 2.1.0 (the first with TLS.Enabled) whose state holds the gateway as it stored it. */
const serverHolding = (entry: Record<string, unknown>) => devServerHolding([entry], { consulVersion: '2.1.0' });

beforeEach(async () => {
  server = await serverHolding(LIVE);
});
afterEach(async () => {
  await server.close();
});

const file = (port: number, tls: string) => `Kind = "api-gateway"
Name = "edge"
${tls}Listeners = [{ Name = "web", Port = ${port}, Protocol = "http" }]
`;
const TLS_HCL = `TLS {
  Enabled       = true
  TLSMinVersion = "TLSv1_2"
  SDS { ClusterName = "sds", CertResource = "edge-default" }
}
`;

const get = async () => (await (await fetch(`${server.url}/v1/config/api-gateway/edge`)).json()) as Record<string, unknown>;

describe('api-gateway gateway-level TLS held by a live entry', () => {
  it('the file that states it is in sync: no change, nothing "unknown to consul-gitops"', async () => {
    const dir = tempTree({ 'config-entries/edge.hcl': file(8443, TLS_HCL) });
    const plan = await runAgainst(server.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.stdout).not.toContain('unknown to consul-gitops');
    expect(plan.code).toBe(0);
  });

  it('an update of a listener is applied without --allow-field-loss and keeps the gateway TLS', async () => {
    const dir = tempTree({ 'config-entries/edge.hcl': file(9443, TLS_HCL) });
    const json = JSON.parse((await runAgainst(server.url, planCommand, ['--json'], dir)).stdout);
    expect(json.changes[0].lostFields ?? []).toEqual([]);
    const applied = await runAgainst(server.url, applyCommand, [], dir);
    expect(applied.stdout).not.toContain('not written');
    expect(applied.code).toBe(0);
    expect(await get()).toMatchObject({ TLS, Listeners: [{ Name: 'web', Port: 9443 }] });
  });

  it('a file without it removes it as a change the plan shows, field by field', async () => {
    const dir = tempTree({ 'config-entries/edge.hcl': file(8443, '') });
    const plan = await runAgainst(server.url, planCommand, [], dir);
    expect(plan.stdout).not.toContain('unknown to consul-gitops');
    expect(plan.stdout).toMatch(/~ TLS = \{\n\s+~ Enabled += true → false\n\s+- TLSMinVersion = "TLSv1_2"\n\s+- SDS += \{\n\s+- ClusterName += "sds"/);
  });
});
