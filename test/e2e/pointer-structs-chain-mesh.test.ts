// Pointers to structs in the discovery chain, mesh, intentions and jwt-provider keep an empty
// block (issue 11, stop 18). Consul's server structs make them pointers with `omitempty` fields
// inside (agent/structs/config_entry_discoverychain.go LoadBalancer.RingHashConfig, ServiceRoute
// .Destination, ServiceSplit.RequestHeaders; config_entry_mesh.go MeshConfigEntry.HTTP, .Peering;
// config_entry_intentions.go IntentionPermission.HTTP; config_entry_jwt_provider.go JWTLocation.Header),
// so `RingHashConfig {}` is stored, answered by GET, and read by Validate as set. One representative
// of each shape, through the CLI against the dev server (test/e2e/pointer-fields-every-kind.test.ts
// covers every pointer field of the registry).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerFile();
const { put, get, del } = server;

const plan = (dir: string) => runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);

const RESOLVER = (lb: string) => `Kind = "service-resolver"
Name = "lb"
LoadBalancer {
  Policy = "ring_hash"
${lb}}
`;

describe('pointers to structs keep an empty block, as Consul stores it', () => {
  it('resolver RingHashConfig {}: plan shows it added, apply writes it, GET answers {}, the next plan is empty, and import writes it back', async () => {
    expect(await put({ Kind: 'service-resolver', Name: 'lb', LoadBalancer: { Policy: 'ring_hash' } })).toBe('true');
    const dir = tempTree({ 'config-entries/lb.hcl': RESOLVER('  RingHashConfig {}\n') });
    const before = await runCli(['plan', '--detailed-exitcode', '--adopt', '--consul', server.url], dir);
    expect(before.stdout).toMatch(/\+ RingHashConfig\s+= \{\}/);
    expect(before.code).toBe(2);
    const apply = await runCli(['apply', '--auto-approve', '--adopt', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect((await get('service-resolver/lb')).LoadBalancer).toEqual({ Policy: 'ring_hash', RingHashConfig: {} });
    const after = await plan(dir);
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);

    const imported = tempTree({});
    const run = await runCli(['import', '--consul', server.url, '--format', 'hcl', '--kinds', 'service-resolver'], imported);
    expect(run.stderr).toBe('');
    expect(readFileSync(join(imported, 'config-entries/service-resolver/lb.hcl'), 'utf8')).toContain('RingHashConfig');
    // Against a live entry without it, the imported file plans the block back.
    expect(await put({ Kind: 'service-resolver', Name: 'lb', LoadBalancer: { Policy: 'ring_hash' } })).toBe('true');
    expect((await plan(imported)).stdout).toMatch(/\+ RingHashConfig\s+= \{\}/);
    await del('service-resolver/lb');
  });

  it('validate refuses RingHashConfig {} without the ring_hash policy, with Consul’s text, as the dev server does', async () => {
    const dir = tempTree({ 'config-entries/lb.hcl': 'Kind = "service-resolver"\nName = "lb"\nLoadBalancer {\n  RingHashConfig {}\n}\n' });
    const validate = await runCli(['validate'], dir);
    expect(validate.stderr).toContain('config-entries/lb.hcl:4:3: LoadBalancer.RingHashConfig');
    expect(validate.stderr).toContain('RingHashConfig specified for incompatible load balancing policy ""');
    expect(validate.code).toBe(1);
    expect(await put({ Kind: 'service-resolver', Name: 'lb', LoadBalancer: { RingHashConfig: {} } })).toBe(
      'Bad LoadBalancer configuration. RingHashConfig specified for incompatible load balancing policy ""',
    );
  });

  it('mesh HTTP {} and Peering {}: GET answers their zero fields, a live block the file lacks is planned away', async () => {
    expect(await put({ Kind: 'mesh', HTTP: {}, Peering: {} })).toBe('true');
    const live = await get('mesh/mesh');
    // encoding/json prints the fields without omitempty of a set pointer.
    expect(live.HTTP).toEqual({ SanitizeXForwardedClientCert: false });
    expect(live.Peering).toEqual({ PeerThroughMeshGateways: false });
    const dir = tempTree({ 'config-entries/mesh.hcl': 'Kind = "mesh"\nHTTP {}\n' });
    const before = await runCli(['plan', '--detailed-exitcode', '--adopt', '--consul', server.url], dir);
    expect(before.stdout).toMatch(/- Peering\s+= \{/);
    expect(before.stdout).not.toMatch(/HTTP\s+=/);
    const apply = await runCli(['apply', '--auto-approve', '--adopt', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    const after = await get('mesh/mesh');
    expect(after.Peering).toBeUndefined();
    expect(after.HTTP).toEqual({ SanitizeXForwardedClientCert: false });
    expect((await plan(dir)).code).toBe(0);
    await del('mesh/mesh');
  });

  it('router Destination {}: plan shows it, apply writes it, and the next plan is empty', async () => {
    expect(await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' })).toBe('true');
    expect(await put({ Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { PathPrefix: '/a' } } }] })).toBe('true');
    const dir = tempTree({
      'config-entries/web-defaults.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
      'config-entries/web.hcl': 'Kind = "service-router"\nName = "web"\nRoutes = [{\n  Match { HTTP { PathPrefix = "/a" } }\n  Destination {}\n}]\n',
    });
    const before = await runCli(['plan', '--detailed-exitcode', '--adopt', '--consul', server.url], dir);
    expect(before.stdout).toMatch(/\+ Destination\s+= \{\}/);
    expect((await runCli(['apply', '--auto-approve', '--adopt', '--consul', server.url], dir)).stderr).toBe('');
    expect((await get('service-router/web')).Routes[0].Destination).toEqual({});
    expect((await plan(dir)).code).toBe(0);
    await del('service-router/web');
    await del('service-defaults/web');
  });

  it('validate takes two splits to one service when one carries RequestHeaders {}, as Consul keys splits on the whole struct', async () => {
    const dir = tempTree({
      'config-entries/api-defaults.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
      'config-entries/api.hcl': 'Kind = "service-splitter"\nName = "api"\nSplits = [\n  { Weight = 50 },\n  { Weight = 50\n    RequestHeaders {} },\n]\n',
    });
    const validate = await runCli(['validate'], dir);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
  });

  it('intentions HTTP {} is an empty permission and jwt-provider Header {} a header without a name, in Consul’s words', async () => {
    const dir = tempTree({
      'config-entries/api-defaults.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
      'config-entries/api.hcl':
        'Kind = "service-intentions"\nName = "api"\nSources = [{\n  Name = "web"\n  Permissions = [{\n    Action = "allow"\n    HTTP {}\n  }]\n}]\n',
      'config-entries/okta.hcl':
        'Kind = "jwt-provider"\nName = "okta"\nJSONWebKeySet {\n  Remote { URI = "https://example.com/jwks" }\n}\nLocations = [{ Header {} }]\n',
    });
    const validate = await runCli(['validate'], dir);
    expect(validate.stderr).toContain('Sources[0].Permissions[0].HTTP should not be empty');
    expect(validate.stderr).not.toContain('HTTP is required');
    expect(validate.stderr).toContain('JWT location header name must be specified');
    expect(validate.stderr).not.toContain('must set exactly one of');
    expect(validate.code).toBe(1);
  });
});
