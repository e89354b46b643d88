// ExtAuthz of the newest Consul (issue 11, class 2): structs.APIGatewayConfigEntry.ExtAuthz and
// structs.HTTPFilters.ExtAuthz (agent/structs at hashicorp/consul 5c48b0b) are pointers to empty
// structs in CE (config_entry_apigw_extauthz_ce.go; TestExtAuthzStructsEmptyInCE), so CE accepts
// `ExtAuthz {}` and refuses any key inside (the api struct's Enterprise `Enabled`) as an invalid
// config key. The field came with hashicorp/consul#23703, backported to release/2.0.x after 2.0.0:
// a target older than 2.0.1 is warned (FIELD_SINCE). validate and the dev server agree.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const GATEWAY = (extAuthz: string) => `Kind = "api-gateway"
Name = "gw"
${extAuthz}
Listeners = [{ Name = "l1", Port = 8080, Protocol = "http" }]
`;
const ROUTE = (extAuthz: string) => `Kind = "http-route"
Name = "r"
Parents = [{ Name = "gw" }]
Rules = [{
  Filters { ${extAuthz} }
  Services = [{ Name = "web", Filters { ${extAuthz} } }]
}]
`;

describe('api-gateway and http-route ExtAuthz (empty structs in CE)', () => {
  it('validate accepts `ExtAuthz {}` on the gateway, a rule and a route service', async () => {
    const run = await runCli(['validate', '.'], tempTree({ 'gw.hcl': GATEWAY('ExtAuthz {}'), 'r.hcl': ROUTE('ExtAuthz {}') }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it("validate refuses a key inside, as CE's server does (invalid config key), with file and line", async () => {
    const run = await runCli(['validate', 'gw.hcl'], tempTree({ 'gw.hcl': GATEWAY('ExtAuthz { Enabled = false }') }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gw.hcl:3');
    expect(run.stderr).toContain('invalid config key "ExtAuthz.Enabled"');
  });

  it('the dev server accepts `{}` and refuses a key inside with the 400 Consul CE answers', async () => {
    const put = (body: object) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    const listeners = [{ Name: 'l1', Port: 8080, Protocol: 'http' }];
    expect(await (await put({ Kind: 'api-gateway', Name: 'gw', ExtAuthz: {}, Listeners: listeners })).text()).toBe('true');
    const refused = await put({ Kind: 'api-gateway', Name: 'gw', ExtAuthz: { Enabled: true }, Listeners: listeners });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('invalid config key "ExtAuthz.Enabled"');
  });

  it('a dev server run as Consul 2.0.0 refuses even `ExtAuthz {}` (an unknown key to that version)', async () => {
    await server.restart({ consulVersion: '2.0.0' });
    const res = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'api-gateway', Name: 'gw', ExtAuthz: {}, Listeners: [{ Name: 'l1', Port: 8080, Protocol: 'http' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid config key "ExtAuthz"');
  });

  it('a target older than 2.0.1 is warned before the write', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': 'targets:\n  - name: prod\n    dir: .\n    consulVersion: 2.0.0\n', 'r.hcl': ROUTE('ExtAuthz {}') });
    const run = await runCli(['validate', 'r.hcl'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Rules[0].Filters.ExtAuthz');
    expect(run.stderr).toContain('added in Consul 2.0.2');
  });
});
