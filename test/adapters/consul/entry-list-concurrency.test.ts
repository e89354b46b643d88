// `plan` on an Enterprise target that names many namespaces lists each kind a few namespaces at a
// time, not all at once (make-plan lists every kind together, so 30 names were hundreds of requests
// open at one Consul), and a namespace the token may not read still stops it with the first such
// namespace in order: through the CLI against the Enterprise double, behind a loopback relay that
// counts the config-entry lists in flight per kind.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from './enterprise-double.ts';
import { NAMESPACE_READ_CONCURRENCY } from '../../../src/adapters/consul/bounded-reads.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

const NAMESPACES = Array.from({ length: 30 }, (_, i) => `team-${String(i).padStart(2, '0')}`);

interface Relay {
  url: string;
  /** Most `GET /v1/config/service-defaults` lists open at once. */
  peak: number;
  close(): Promise<void>;
}

/**
 * Forwards to `target`, holding config-entry list answers back: they are all let go when more than
 * NAMESPACE_READ_CONCURRENCY of one kind are open (the peak already says too many), or when no new
 * one has arrived for a while (the client waits for answers before it asks more). So lists a client
 * sends together are all open together, however slowly a loaded machine delivers them.
 */
async function startRelay(target: string): Promise<Relay> {
  const held: { kind: string; send: () => void }[] = [];
  let idle: NodeJS.Timeout | undefined;
  const releaseAll = () => {
    clearTimeout(idle);
    for (const h of held.splice(0)) h.send();
  };
  const relay = { peak: 0 } as Relay;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const kind = req.method === 'GET' && /^\/v1\/config\/[^/]+$/.test(path) ? path.slice('/v1/config/'.length) : undefined;
    const up = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const send = () => res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
        if (!kind) return send();
        held.push({ kind, send });
        const open = held.filter((h) => h.kind === kind).length;
        if (kind === 'service-defaults') relay.peak = Math.max(relay.peak, open);
        clearTimeout(idle);
        if (open > NAMESPACE_READ_CONCURRENCY) releaseAll();
        else idle = setTimeout(releaseAll, 100);
      });
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relay.close = () =>
    new Promise<void>((resolve) => {
      releaseAll();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return relay;
}

let consul: EnterpriseDouble | undefined;
let relay: Relay | undefined;
afterEach(async () => {
  await relay?.close();
  await consul?.close();
  relay = consul = undefined;
});

function plan() {
  const cwd = tempTree({
    'consul-gitops.yaml': `targets:\n  - name: ent\n    prune: true\n    namespaces: [${NAMESPACES.join(', ')}]\n`,
    'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nNamespace = "team-00"\nProtocol = "http"\n',
  });
  return runCli(['plan', '--consul', relay!.url], cwd);
}

describe('config-entry lists over named namespaces', () => {
  it(`${NAMESPACES.length} namespaces: every one is listed, at most ${NAMESPACE_READ_CONCURRENCY} of a kind at once`, async () => {
    consul = await startEnterpriseDouble();
    const owned = (source: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': source });
    consul.put({ Kind: 'service-defaults', Name: 'web', Namespace: 'team-00', Protocol: 'grpc', Meta: owned('config-entries/web.hcl') });
    consul.put({ Kind: 'service-defaults', Name: 'old', Namespace: 'team-29', Protocol: 'grpc', Meta: owned('config-entries/old.hcl') });
    relay = await startRelay(consul.url);
    const run = await plan();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('~ update service-defaults/web (namespace=team-00)');
    expect(run.stdout).toContain('- delete service-defaults/old (namespace=team-29)');
    const listed = consul.http.requests
      .filter((r) => r.method === 'GET' && new URL(r.url, 'http://x').pathname === '/v1/config/service-defaults')
      .map((r) => new URL(r.url, 'http://x').searchParams.get('ns'));
    expect(new Set(listed)).toEqual(new Set(NAMESPACES));
    expect(relay.peak).toBeGreaterThan(1);
    expect(relay.peak).toBeLessThanOrEqual(NAMESPACE_READ_CONCURRENCY);
  });

  it('a hidden namespace stops the plan with its own incomplete-read error, the first in order when several are', async () => {
    consul = await startEnterpriseDouble({ hidden: ['team-10', 'team-25'] });
    // A list ACLs filtered is one that left an entry out (the double, as Consul, says so only then).
    for (const ns of ['team-10', 'team-25']) consul.put({ Kind: 'service-defaults', Name: 'api', Namespace: ns, Protocol: 'http' });
    relay = await startRelay(consul.url);
    const run = await plan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is incomplete');
    expect(run.stderr).toContain('ns=team-10');
    expect(run.stderr).not.toContain('team-25');
    expect(run.stdout).not.toContain('Plan:');
  });
});
