// ExtAuthz {} is the whole value of the newest Consul's ext_authz switch: structs.APIGatewayConfigEntry
// .ExtAuthz *APIGatewayExtAuthz and structs.HTTPFilters.ExtAuthz *HTTPRouteExtAuthzFilter
// (agent/structs at hashicorp/consul 5c48b0b, `json:",omitempty"`) are pointers to structs that are
// empty in CE (config_entry_apigw_extauthz_ce.go), so a written `ExtAuthz {}` is stored and GET
// answers `{}`; dropped as a zero value, plan said "no changes" and apply never wrote it.
// The CLI runs against the dev server, which decodes and stores through the same registry.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const META = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/gw.hcl' };
const LISTENERS = [{ Name: 'l1', Port: 8080, Protocol: 'http' }];
const FILE = (extAuthz: string) => `Kind = "api-gateway"
Name = "gw"
${extAuthz}
Listeners = [{ Name = "l1", Port = 8080, Protocol = "http" }]
`;

const put = (body: Record<string, unknown>) =>
  fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'api-gateway', Name: 'gw', Listeners: LISTENERS, Meta: META, ...body }) });
const live = async () => (await (await fetch(`${server.url}/v1/config/api-gateway/gw`)).json()) as Record<string, unknown>;

describe('ExtAuthz {} is stored and planned as Consul holds it', () => {
  it('GET answers the empty struct a PUT gave', async () => {
    expect(await (await put({ ExtAuthz: {} })).text()).toBe('true');
    expect((await live()).ExtAuthz).toEqual({});
  });

  it('plan shows `ExtAuthz {}` added to a gateway without it and removed from one with it; apply then plan has no changes', async () => {
    expect(await (await put({})).text()).toBe('true');
    const withIt = tempTree({ 'config-entries/gw.hcl': FILE('ExtAuthz {}') });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], withIt);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ ExtAuthz\s+= \{\}/);
    expect((await runCli(['apply', '--auto-approve', '--consul', server.url], withIt)).code).toBe(0);
    expect((await live()).ExtAuthz).toEqual({});
    expect((await runCli(['plan', '--detailed-exitcode', '--consul', server.url], withIt)).code).toBe(0);

    const without = tempTree({ 'config-entries/gw.hcl': FILE('') });
    const back = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], without);
    expect(back.code).toBe(2);
    expect(back.stdout).toMatch(/- ExtAuthz\s+= \{\}/);
  });
});
