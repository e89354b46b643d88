// `consul-gitops audit --posture` through main() for a target that manages more namespaces than the
// client's own (`namespaces: all`, or a list): intentions-cover-services reads intentions and
// services in the client's namespace alone, so it must not pass for the whole target. Consul here
// is the dev server behind a loopback stand-in that accepts `?ns=` as Enterprise does and answers
// with the default namespace's data (the dev server, like CE, refuses the parameter).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
let front: Server;
let url: string;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  const upstream = new URL(server.url);
  front = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://front');
    // Enterprise lists its namespaces (`namespaces: all` reads each one's catalog); here only default.
    if (u.pathname === '/v1/namespaces') return void res.writeHead(200, { 'content-type': 'application/json' }).end('[{"Name":"default"}]');
    u.searchParams.delete('ns');
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: u.pathname + u.search, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((done) => front.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  await write({ Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Action: 'deny' }] });
  await write({ Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Action: 'allow' }] });
  for (const s of ['api', 'web']) {
    const res = await fetch(`${server.url}/v1/catalog/register`, {
      method: 'PUT',
      body: JSON.stringify({ Node: 'n1', Address: '10.0.0.7', Service: { Service: s, Port: 8080 } }),
    });
    expect(res.status).toBe(200);
  }
});
afterEach(async () => {
  front.closeAllConnections();
  await new Promise((done) => front.close(done));
  await server.close();
});

async function write(entry: unknown): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(await res.text()).toBe('true');
}

async function coverCheck(namespaces: string): Promise<{ status: string; evidence: string }> {
  const cwd = tempTree({ 'consul-gitops.yaml': `targets:\n  - name: ent\n    dir: config-entries\n${namespaces}` });
  const run = await runCli(['audit', '--posture', '--json', '--consul', url], cwd);
  expect(run.stderr).toBe('');
  const out = JSON.parse(run.stdout) as { findings: Array<{ id: string; status: string; evidence: string }> };
  return out.findings.find((f) => f.id === 'intentions-cover-services')!;
}

describe('intentions-cover-services on a target managing several namespaces', () => {
  it('is unknown, not pass, with namespaces: all: the other namespaces were not read', async () => {
    const check = await coverCheck('    namespaces: all\n');
    expect(check.status).toBe('unknown');
    expect(check.evidence).toContain('the target manages every namespace (namespaces: all), but intentions and services were read in namespace default only');
  });

  it('is unknown with a list naming another namespace', async () => {
    const check = await coverCheck('    namespaces: [default, billing]\n');
    expect(check.status).toBe('unknown');
    expect(check.evidence).toContain('namespaces default, billing');
  });

  it('still passes for a target without namespaces (what it reads is all it manages)', async () => {
    const check = await coverCheck('');
    expect(check.status).toBe('pass');
  });
});
