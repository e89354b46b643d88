// An intention must not reach Consul before the jwt-provider it names: Consul refuses it
// (validateJWTProvidersExist in agent/consul/state/config_entry.go, run inside the write). The
// release order writes an intention losing its L7 permissions before the service-defaults that
// leaves HTTP; when that intention also starts naming a provider the same plan creates, the
// provider goes with it, just before.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

const defaults = (protocol: string) => `Kind = "service-defaults"\nName = "web"\nProtocol = "${protocol}"\n`;
const provider = (name: string) =>
  `Kind = "jwt-provider"\nName = "${name}"\nIssuer = "https://issuer.example"\nJSONWebKeySet = {\n  Remote = { URI = "https://issuer.example/jwks" }\n}\n`;
const l7 = `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Permissions = [ { Action = "allow", HTTP = { PathPrefix = "/" } } ] },\n]\n`;
const withJwt = (name: string) =>
  `Kind = "service-intentions"\nName = "web"\nJWT = {\n  Providers = [ { Name = "${name}" } ]\n}\nSources = [\n  { Name = "api", Action = "allow" },\n]\n`;

const put = (body: unknown) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });

describe('an intention naming a jwt-provider (dev server as Consul)', () => {
  it('is refused while the provider is missing, with Consul’s text, and accepted once it exists', async () => {
    const intention = {
      Kind: 'service-intentions',
      Name: 'web',
      JWT: { Providers: [{ Name: 'okta' }, { Name: 'auth0' }] },
      Sources: [{ Name: 'api', Action: 'allow' }],
    };
    const refused = await put(intention);
    expect(refused.status).toBe(500);
    expect(await refused.text()).toBe(
      '2 errors occurred:\n\t* Referenced JWT Provider does not exist. Provider Name: auth0\n\t* Referenced JWT Provider does not exist. Provider Name: okta\n\n',
    );
    const okta = { Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: 'https://issuer.example/jwks' } } };
    expect((await put(okta)).status).toBe(200);
    // A permission's JWT is looked at too.
    const perm = {
      ...intention,
      JWT: undefined,
      Sources: [{ Name: 'api', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/' }, JWT: { Providers: [{ Name: 'auth0' }] } }] }],
    };
    const refusedPerm = await put(perm);
    expect(refusedPerm.status).toBe(500);
    expect(await refusedPerm.text()).toBe('1 error occurred:\n\t* Referenced JWT Provider does not exist. Provider Name: auth0\n\n');
    expect((await put({ ...okta, Name: 'auth0' })).status).toBe(200);
    expect((await put(intention)).status).toBe(200);
  });
});

describe('apply: an intention moved before the protocol change still follows the provider it names', () => {
  it('creates the jwt-provider before the intention that leaves L7 for it, then the service goes to tcp', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': defaults('http'), 'config-entries/i.hcl': l7 });
    const setup = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);

    writeFileSync(join(cwd, 'config-entries/web.hcl'), defaults('tcp'));
    writeFileSync(join(cwd, 'config-entries/i.hcl'), withJwt('okta'));
    writeFileSync(join(cwd, 'config-entries/jwt.hcl'), provider('okta'));
    const run = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const intention = (await (await fetch(`${server.url}/v1/config/service-intentions/web`)).json()) as { JWT?: { Providers: { Name: string }[] } };
    expect(intention.JWT?.Providers.map((p) => p.Name)).toEqual(['okta']);
    expect((await runCli(['plan', '--detailed-exitcode', '--consul', server.url], cwd)).code).toBe(0);
  });
});

describe('apply: an intention naming a jwt-provider neither the tree nor Consul holds', () => {
  it('stops before any write, naming the file and line, Consul’s text and the provider to add', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': defaults('http'), 'config-entries/i.hcl': withJwt('okta') });
    const run = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/i.hcl:2:1: Name: 1 error occurred:');
    expect(run.stderr).toContain('Referenced JWT Provider does not exist. Provider Name: okta');
    expect(run.stderr).toContain('add jwt-provider "okta" to the tree');
    expect(run.stdout).not.toContain('Applying:');
    expect((await fetch(`${server.url}/v1/config/service-defaults/web`)).status).toBe(404);
  });
});
