// `plan` and `apply` on Consul Enterprise simulate each write as CE targets do: every entry is keyed
// by kind, partition, namespace and name, and a reference resolves where Consul resolves it (a
// Redirect without Namespace stays in the resolver's namespace; a jwt-provider is looked up in the
// intention's partition, default namespace). Through the CLI, against the Enterprise double
// (test/adapters/consul/enterprise-double.ts): the plan stops where Enterprise would refuse a write
// half-way, and does not refuse what Enterprise accepts.
import { describe, expect, it } from 'vitest';
import { enterpriseDoublePerFile } from '../support/enterprise-double-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const CONFIG = 'targets:\n  - name: ent\n    namespaces: all\n';

const intention = (ns: string, provider: string) =>
  `Kind = "service-intentions"\nName = "web"\nNamespace = "${ns}"\nJWT = {\n  Providers = [ { Name = "${provider}" } ]\n}\nSources = [\n  { Name = "api", Action = "allow" },\n]\n`;
const provider = (name: string) =>
  `Kind = "jwt-provider"\nName = "${name}"\nIssuer = "https://issuer.example"\nJSONWebKeySet = {\n  Remote = { URI = "https://issuer.example/jwks" }\n}\n`;
const redirectTo = (ns: string, to: string) =>
  `Kind = "service-resolver"\nName = "ledger"\nNamespace = "${ns}"\nRedirect = {\n  Service = "ledger"\n  Namespace = "${to}"\n}\n`;
const defaults = (ns: string, protocol: string) => `Kind = "service-defaults"\nName = "web"\nNamespace = "${ns}"\nProtocol = "${protocol}"\n`;
const router = (ns: string) =>
  `Kind = "service-router"\nName = "web"\nNamespace = "${ns}"\nRoutes = [\n  {\n    Match = { HTTP = { PathPrefix = "/admin" } }\n    Destination = { Service = "web" }\n  },\n]\n`;

const consul = enterpriseDoublePerFile();

// Config-entry writes (the apply lock's KV writes left out).
const writes = () => consul.http.requests.filter((r) => (r.method === 'PUT' || r.method === 'DELETE') && r.url.startsWith('/v1/config'));

describe('an intention in namespace billing naming a jwt-provider', () => {
  it('that neither the tree nor Consul holds: plan and apply stop naming it, and nothing is written', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': CONFIG,
      'config-entries/web.hcl': defaults('billing', 'http'),
      'config-entries/i.hcl': intention('billing', 'okta'),
    });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('config-entries/i.hcl:2:1: Name: 1 error occurred:');
    expect(plan.stderr).toContain('Referenced JWT Provider does not exist. Provider Name: okta');
    expect(plan.stderr).toContain('add jwt-provider "okta" to the tree');
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.code).toBe(1);
    expect(apply.stdout).not.toContain('Applying:');
    expect(writes()).toEqual([]);
  });

  it('is refused by the double as Enterprise refuses it inside the write (validateJWTProvidersExist), in any namespace', async () => {
    const body = {
      Kind: 'service-intentions',
      Name: 'web',
      Namespace: 'billing',
      JWT: { Providers: [{ Name: 'okta' }] },
      Sources: [{ Name: 'api', Action: 'allow' }],
    };
    const refused = await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    expect(refused.status).toBe(500);
    expect(await refused.text()).toBe('1 error occurred:\n\t* Referenced JWT Provider does not exist. Provider Name: okta\n\n');
    consul.put({ Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: 'https://issuer.example/jwks' } } });
    expect((await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).status).toBe(200);
  });

  it('that Consul holds in the partition (default namespace): planned and applied', async () => {
    // Written by someone else (not owned): in Consul, not in the tree.
    consul.put({ Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: 'https://issuer.example/jwks' } } });
    const cwd = tempTree({ 'consul-gitops.yaml': CONFIG, 'config-entries/i.hcl': intention('billing', 'okta') });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(consul.entries.has('service-intentions/billing/web')).toBe(true);
  });

  it('that the tree adds: the provider is written first, then the intention', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': CONFIG, 'config-entries/i.hcl': intention('billing', 'okta'), 'config-entries/jwt.hcl': provider('okta') });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const kinds = writes().map((r) => (JSON.parse(r.body) as { Kind: string }).Kind);
    expect(kinds).toEqual(['jwt-provider', 'service-intentions']);
  });
});

describe('resolvers redirecting between namespaces', () => {
  it('a resolver in billing redirecting to shipping, whose resolver redirects back: refused as a loop, nothing written', async () => {
    consul.put({ Kind: 'service-resolver', Name: 'ledger', Namespace: 'shipping', Redirect: { Service: 'ledger', Namespace: 'billing' } });
    const cwd = tempTree({ 'consul-gitops.yaml': CONFIG, 'config-entries/billing.hcl': redirectTo('billing', 'shipping') });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('config-entries/billing.hcl');
    expect(plan.stderr).toMatch(/detected circular resolver redirect: \[ledger\.(billing|shipping)\.default\.dc1 -> /);
    expect(plan.stderr).toContain('ledger.billing.default.dc1');
    expect(plan.stderr).toContain('ledger.shipping.default.dc1');
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.code).toBe(1);
    expect(writes()).toEqual([]);
  });

  it('both written by one plan: the second write is refused', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': CONFIG,
      'config-entries/billing.hcl': redirectTo('billing', 'shipping'),
      'config-entries/shipping.hcl': redirectTo('shipping', 'billing'),
    });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('detected circular resolver redirect');
  });

  it('a redirect to shipping that does not come back: planned and applied', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': CONFIG, 'config-entries/billing.hcl': redirectTo('billing', 'shipping') });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(consul.entries.has('service-resolver/billing/ledger')).toBe(true);
  });
});

describe('two services of one name in two namespaces', () => {
  for (const [http, tcp] of [
    ['billing', 'shipping'],
    ['shipping', 'billing'],
  ])
    it(`web is http in ${http} and tcp in ${tcp}, with a router in ${http}: no refusal, every write applied`, async () => {
      const cwd = tempTree({
        'consul-gitops.yaml': CONFIG,
        'config-entries/http.hcl': defaults(http, 'http'),
        'config-entries/tcp.hcl': defaults(tcp, 'tcp'),
        'config-entries/router.hcl': router(http),
      });
      const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      expect([...consul.entries.keys()].sort()).toEqual([`service-defaults/${http}/web`, `service-defaults/${tcp}/web`, `service-router/${http}/web`].sort());
    });

  it('the router in the tcp namespace is still refused, naming the router', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': CONFIG,
      'config-entries/http.hcl': defaults('billing', 'http'),
      'config-entries/tcp.hcl': defaults('shipping', 'tcp'),
      'config-entries/router.hcl': router('shipping'),
    });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('config-entries/router.hcl');
    expect(plan.stderr).toContain('does not permit advanced routing or splitting behavior');
  });
});
