// api-gateway listener policies' and http-route filters' `JWT` on Consul CE (issue 11, class 5):
// APIGatewayJWTRequirement and JWTFilter are empty structs in CE (agent/structs/config_entry_apigw_jwt_ce.go,
// `//go:build !consulent`), so a CE server decodes `JWT {}` and refuses `JWT { Providers … }` with
// validateUnusedKeys' `invalid config key "<path>"` (agent/structs/config_entry_ce.go); Enterprise
// defines Providers and stores it. validate (for a CE or unknown target) and the dev server (CE) say
// what CE says; a `+ent` target is not refused.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const PROVIDERS = 'Providers = [{ Name = "okta" }]';
const GATEWAY = (jwt: string) => `Kind = "api-gateway"
Name = "gw"
Listeners = [{
  Name = "l1"
  Port = 8080
  Protocol = "http"
  Override { JWT { ${jwt} } }
}]
`;
const ROUTE = (jwt: string) => `Kind = "http-route"
Name = "r"
Parents = [{ Name = "gw" }]
Rules = [{
  Filters { JWT { ${jwt} } }
  Services = [{ Name = "web", Filters { JWT { ${jwt} } } }]
}]
`;
const ENT_TARGET = 'targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: 2.1.0+ent\n';

describe('JWT on api-gateway listeners and http-route filters (empty structs in Consul CE)', () => {
  it('validate accepts `JWT {}` on a listener policy, a rule and a route service', async () => {
    const run = await runCli(['validate', '.'], tempTree({ 'gw.hcl': GATEWAY(''), 'r.hcl': ROUTE('') }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it("validate refuses Providers as CE's server does, with file, line and Consul's text", async () => {
    const run = await runCli(['validate', '.'], tempTree({ 'gw.hcl': GATEWAY(PROVIDERS), 'r.hcl': ROUTE(PROVIDERS) }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gw.hcl:7');
    expect(run.stderr).toContain('invalid config key "Listeners[0].Override.JWT.Providers"');
    expect(run.stderr).toContain('r.hcl:5');
    expect(run.stderr).toContain('invalid config key "Rules[0].Filters.JWT.Providers"');
    expect(run.stderr).toContain('invalid config key "Rules[0].Services[0].Filters.JWT.Providers"');
  });

  it('a Consul Enterprise target (consulVersion +ent) is not refused: Enterprise defines Providers', async () => {
    const tree = { 'consul-gitops.yaml': ENT_TARGET, 'config-entries/gw.hcl': GATEWAY(PROVIDERS), 'config-entries/r.hcl': ROUTE(PROVIDERS) };
    const run = await runCli(['validate', 'config-entries'], tempTree(tree));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('the dev server stores `JWT {}` and answers Providers with the 400 Consul CE gives; apply shows it', async () => {
    const put = (body: object) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    const listener = (jwt: object) => [{ Name: 'l1', Port: 8080, Protocol: 'http', Default: { JWT: jwt } }];
    expect(await (await put({ Kind: 'api-gateway', Name: 'gw', Listeners: listener({}) })).text()).toBe('true');
    const refused = await put({ Kind: 'api-gateway', Name: 'gw', Listeners: listener({ Providers: [{ Name: 'okta' }] }) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Request decoding failed: 1 error occurred:\n\t* invalid config key "Listeners[0].Default.JWT.Providers"');
    const route = await put({
      Kind: 'http-route',
      Name: 'r',
      Parents: [{ Name: 'gw' }],
      Rules: [{ Services: [{ Name: 'web', Filters: { JWT: { Providers: [] } } }] }],
    });
    expect(route.status).toBe(400);
    expect(await route.text()).toContain('invalid config key "Rules[0].Services[0].Filters.JWT.Providers"');

    // apply of a `+ent`-configured tree (validate lets it through) against this CE server stops before
    // any write: the server reports a CE version (test/cli/enterprise-target-on-ce.test.ts). The route is
    // not written, so the server's JWT refusal above is what a CE Consul would answer to it.
    const dir = tempTree({ 'consul-gitops.yaml': ENT_TARGET, 'config-entries/r.hcl': ROUTE(PROVIDERS) });
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Consul Enterprise, but the server reports Consul');
    expect(apply.stdout).not.toContain('create http-route/r');
    expect((await fetch(`${server.url}/v1/config/http-route/r`)).status).toBe(404);
  });
});
