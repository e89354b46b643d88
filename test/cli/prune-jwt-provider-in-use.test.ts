// Deleting a jwt-provider an intention still names is refused by Consul's state store inside the
// delete (validateProposedConfigEntryInGraph, jwt-provider case, on a delete: "cannot delete jwt
// provider config entry referenced by an intention"). The dev server answers as Consul does, and
// `apply --prune` stops before any write when the plan would delete such a provider, naming both
// entries; deleting the intention or taking the provider out of it in the same apply goes through
// (intentions are written and deleted before providers are deleted).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

const provider = (name: string) =>
  `Kind = "jwt-provider"\nName = "${name}"\nIssuer = "https://issuer.example"\nJSONWebKeySet = {\n  Remote = { URI = "https://issuer.example/jwks" }\n}\n`;
const withJwt = (name: string) =>
  `Kind = "service-intentions"\nName = "web"\nJWT = {\n  Providers = [ { Name = "${name}" } ]\n}\nSources = [\n  { Name = "api", Action = "allow" },\n]\n`;
const withoutJwt = `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Action = "allow" },\n]\n`;
const http = `Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n`;
const permJwt = (name: string) =>
  `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Permissions = [ { Action = "allow", HTTP = { PathPrefix = "/" }, JWT = { Providers = [ { Name = "${name}" } ] } } ] },\n]\n`;

const get = (kind: string, name: string) => fetch(`${server.url}/v1/config/${kind}/${name}`);
const put = (body: unknown) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
const del = (kind: string, name: string) => fetch(`${server.url}/v1/config/${kind}/${name}`, { method: 'DELETE' });

async function applied(files: Record<string, string>): Promise<string> {
  const cwd = tempTree(files);
  const run = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return cwd;
}

describe('DELETE of a jwt-provider an intention names (dev server as Consul)', () => {
  it('is refused with 500 and Consul’s text naming the provider and the first intention by name; accepted once none names it', async () => {
    const okta = { Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: 'https://issuer.example/jwks' } } };
    expect((await put(okta)).status).toBe(200);
    const named = (name: string) => ({
      Kind: 'service-intentions',
      Name: name,
      JWT: { Providers: [{ Name: 'okta' }] },
      Sources: [{ Name: 'api', Action: 'allow' }],
    });
    expect((await put(named('web'))).status).toBe(200);
    expect((await put(named('api'))).status).toBe(200);
    const refused = await del('jwt-provider', 'okta');
    expect(refused.status).toBe(500);
    expect(await refused.text()).toBe('cannot delete jwt provider config entry referenced by an intention. Provider name: okta, intention name: api');
    // With ?cas= too: the CAS check passes, the graph check refuses.
    const index = ((await (await get('jwt-provider', 'okta')).json()) as { ModifyIndex: number }).ModifyIndex;
    expect((await fetch(`${server.url}/v1/config/jwt-provider/okta?cas=${index}`, { method: 'DELETE' })).status).toBe(500);
    expect((await get('jwt-provider', 'okta')).status).toBe(200);
    expect((await del('service-intentions', 'api')).status).toBe(200);
    // A permission's JWT counts too.
    expect((await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' })).status).toBe(200);
    const perm = {
      Kind: 'service-intentions',
      Name: 'web',
      Sources: [{ Name: 'api', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/' }, JWT: { Providers: [{ Name: 'okta' }] } }] }],
    };
    expect((await put(perm)).status).toBe(200);
    expect(await (await del('jwt-provider', 'okta')).text()).toBe(
      'cannot delete jwt provider config entry referenced by an intention. Provider name: okta, intention name: web',
    );
    expect((await put({ Kind: 'service-intentions', Name: 'web', Sources: [{ Name: 'api', Action: 'allow' }] })).status).toBe(200);
    expect((await del('jwt-provider', 'okta')).status).toBe(200);
    expect((await get('jwt-provider', 'okta')).status).toBe(404);
  });
});

describe('apply --prune: a jwt-provider removed from the tree while an intention still names it', () => {
  it('stops before any write, naming the provider, the intention and the way through', async () => {
    const cwd = await applied({ 'config-entries/jwt.hcl': provider('okta'), 'config-entries/i.hcl': withJwt('okta'), 'config-entries/web.hcl': http });
    rmSync(join(cwd, 'config-entries/jwt.hcl'));
    writeFileSync(join(cwd, 'config-entries/web.hcl'), `Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n`);
    const run = await runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('jwt-provider "okta"');
    expect(run.stderr).toContain('cannot delete jwt provider config entry referenced by an intention. Provider name: okta, intention name: web');
    expect(run.stderr).toContain('service-intentions "web"');
    expect(run.stdout).not.toContain('Applying:');
    // Nothing written: the provider is still there, and the other change was not made either.
    expect((await get('jwt-provider', 'okta')).status).toBe(200);
    expect(((await (await get('service-defaults', 'web')).json()) as { Protocol: string }).Protocol).toBe('http');
    // plan says the same.
    const plan = await runCli(['plan', '--prune', '--consul', server.url], cwd);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('intention name: web');
  });

  it('stops too when only a permission of the intention names it', async () => {
    const cwd = await applied({ 'config-entries/jwt.hcl': provider('okta'), 'config-entries/i.hcl': permJwt('okta'), 'config-entries/web.hcl': http });
    rmSync(join(cwd, 'config-entries/jwt.hcl'));
    const run = await runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Provider name: okta, intention name: web');
    expect((await get('jwt-provider', 'okta')).status).toBe(200);
  });

  it('goes through when the same apply deletes the intention, or takes the provider out of it', async () => {
    // web.hcl stays: a prune of every managed entry is refused on its own (mass delete).
    const cwd = await applied({ 'config-entries/jwt.hcl': provider('okta'), 'config-entries/i.hcl': withJwt('okta'), 'config-entries/web.hcl': http });
    rmSync(join(cwd, 'config-entries/jwt.hcl'));
    writeFileSync(join(cwd, 'config-entries/i.hcl'), withoutJwt);
    const edited = await runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
    expect(edited.stderr).toBe('');
    expect(edited.code).toBe(0);
    expect((await get('jwt-provider', 'okta')).status).toBe(404);

    writeFileSync(join(cwd, 'config-entries/i.hcl'), withJwt('auth0'));
    writeFileSync(join(cwd, 'config-entries/jwt.hcl'), provider('auth0'));
    expect((await runCli(['apply', '--auto-approve', '--consul', server.url], cwd)).code).toBe(0);
    rmSync(join(cwd, 'config-entries/jwt.hcl'));
    rmSync(join(cwd, 'config-entries/i.hcl'));
    const both = await runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
    expect((await get('jwt-provider', 'auth0')).status).toBe(404);
    expect((await get('service-intentions', 'web')).status).toBe(404);
  });
});
