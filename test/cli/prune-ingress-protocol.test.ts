// An ingress-gateway listener keeps the protocol of the services it fronts: deleting (or changing)
// the service-defaults that makes a service "http" under an "http" listener is refused by Consul,
// which checks the ingress gateways linking the changed service inside the write
// (validateProposedConfigEntryInServiceGraph in agent/consul/state/config_entry.go: "service %q has
// protocol %q, which does not match defined listener protocol %q"; a "tcp" listener may front a
// non-tcp service whose chain starts at a resolver). The dev server answers as Consul does, and
// apply --prune stops before any write; pruning the gateway along with it goes through.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

const defaults = (protocol: string) => `Kind = "service-defaults"\nName = "web"\nProtocol = "${protocol}"\n`;
const ingress = (protocol: string) =>
  `Kind = "ingress-gateway"\nName = "edge"\nListeners = [\n  { Port = 8080, Protocol = "${protocol}", Services = [ { Name = "web", Hosts = ["web.example"] } ] },\n]\n`;
const other = `Kind = "service-defaults"\nName = "other"\nProtocol = "tcp"\n`;

const get = (kind: string, name: string) => fetch(`${server.url}/v1/config/${kind}/${name}`);
const put = (body: unknown) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
const del = (kind: string, name: string) => fetch(`${server.url}/v1/config/${kind}/${name}`, { method: 'DELETE' });

describe('DELETE of the service-defaults an http ingress listener fronts (dev server as Consul)', () => {
  it('is refused with 500 and Consul’s text; a tcp listener over a plain service lets it go', async () => {
    expect((await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' })).status).toBe(200);
    const gw = { Kind: 'ingress-gateway', Name: 'edge', Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web' }] }] };
    expect((await put(gw)).status).toBe(200);
    const refused = await del('service-defaults', 'web');
    expect(refused.status).toBe(500);
    expect(await refused.text()).toBe('service "web" has protocol "tcp", which does not match defined listener protocol "http"');
    // The same for a change of protocol.
    const changed = await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'grpc' });
    expect(changed.status).toBe(500);
    expect(await changed.text()).toBe('service "web" has protocol "grpc", which does not match defined listener protocol "http"');
    expect((await get('service-defaults', 'web')).status).toBe(200);
    // Deleting the gateway first lets the defaults go.
    expect((await del('ingress-gateway', 'edge')).status).toBe(200);
    expect((await del('service-defaults', 'web')).status).toBe(200);
    // A tcp listener may front an http service whose chain starts at its resolver (not so when the
    // gateway itself is written: Consul is strict then, so the listener is written over a tcp service).
    expect((await put({ ...gw, Listeners: [{ Port: 8080, Protocol: 'tcp', Services: [{ Name: 'web' }] }] })).status).toBe(200);
    expect((await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' })).status).toBe(200);
    expect((await del('service-defaults', 'web')).status).toBe(200);
  });
});

describe('apply --prune of the service-defaults an http ingress listener fronts', () => {
  it('stops before any write with Consul’s text; pruning the gateway too goes through', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': defaults('http'), 'config-entries/edge.hcl': ingress('http'), 'config-entries/other.hcl': other });
    const setup = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);

    rmSync(join(cwd, 'config-entries/web.hcl'));
    const run = await runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service "web" has protocol "tcp", which does not match defined listener protocol "http"');
    expect(run.stderr).toContain('an ingress-gateway listener with protocol "http" fronts service "web"');
    expect(run.stdout).not.toContain('Applying:');
    expect((await get('service-defaults', 'web')).status).toBe(200);

    rmSync(join(cwd, 'config-entries/edge.hcl'));
    const both = await runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
    expect((await get('service-defaults', 'web')).status).toBe(404);
    expect((await get('ingress-gateway', 'edge')).status).toBe(404);
  });

  it('a protocol change under the listener is refused the same way', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': defaults('http'), 'config-entries/edge.hcl': ingress('http') });
    expect((await runCli(['apply', '--auto-approve', '--consul', server.url], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'config-entries/web.hcl'), defaults('grpc'));
    const run = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service "web" has protocol "grpc", which does not match defined listener protocol "http"');
    expect(((await (await get('service-defaults', 'web')).json()) as { Protocol: string }).Protocol).toBe('http');
  });
});
