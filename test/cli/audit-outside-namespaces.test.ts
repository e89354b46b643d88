// `consul-gitops audit` through main() against the loopback Enterprise double, for a target that
// names its namespaces: "strict" is a claim about the mesh, and the mesh entry covers every
// namespace of the partition, so a permissive service in a namespace no target manages, or one the
// token cannot see, must keep the verdict from "strict" and `--require-strict` from exiting 0.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const NAMED = 'targets:\n  - name: ent\n    namespaces: [default, billing]\n';
const STRICT_LINE = 'strict: the mesh accepts mTLS only';

/** A locked-down mesh; the double ignores `filter`, so every service-defaults put here is a permissive one. */
async function ent(opts: { hidden?: string[] } = {}): Promise<EnterpriseDouble> {
  const consul = await startEnterpriseDouble(opts);
  consul.put({ Kind: 'mesh', Name: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });
  consul.put({ Kind: 'proxy-defaults', Name: 'global', MutualTLSMode: 'strict' });
  return consul;
}

/**
 * The double in front of which the posture audit's ACL and CA reads get the answers of a Consul with
 * ACLs disabled and the built-in CA (401 `ACL support disabled`); every other request goes to it,
 * but with `refuseEveryNamespace` a `?ns=*` read, which gets a 403, and the catalog's permissive
 * sidecars of the namespaces in `permissiveSidecarsIn`.
 */
async function withoutAcls(
  target: string,
  opts: { refuseEveryNamespace?: boolean; permissiveSidecarsIn?: Record<string, string[]> } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    // A token whose policy grants the managed namespaces only: Consul's 403 for the wildcard read.
    if (opts.refuseEveryNamespace && url.searchParams.get('ns') === '*')
      return res.writeHead(403).end("Permission denied: token with AccessorID 'a1' lacks permission 'service:read' on \"*\"");
    // The double registers no sidecar with a mode of its own; these namespaces' catalogs answer the audit's filter with some.
    const sidecars = opts.permissiveSidecarsIn?.[url.searchParams.get('ns') ?? 'default'];
    if (path === '/v1/catalog/services' && sidecars && url.searchParams.get('filter')?.includes('ServiceProxy.MutualTLSMode == "permissive"'))
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(Object.fromEntries(sidecars.map((s) => [`${s}-sidecar-proxy`, []]))));
    if (path === '/v1/acl/token/self' || path === '/v1/internal/acl/authorize') return res.writeHead(401).end('ACL support disabled');
    if (path === '/v1/connect/ca/configuration') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"Provider":"consul","Config":{}}');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(`${target}${req.url ?? '/'}`, { method: req.method, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) }).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers)).end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let consul: EnterpriseDouble | undefined;
afterEach(async () => {
  await consul?.close();
  consul = undefined;
});

describe('audit of a target that names its namespaces, the rest of the partition', () => {
  it('names a permissive service in an unmanaged namespace and is not strict', async () => {
    consul = await ent();
    consul.put({ Kind: 'service-defaults', Name: 'other', Namespace: 'unmanaged', MutualTLSMode: 'permissive' });
    const cwd = tempTree({ 'consul-gitops.yaml': NAMED });

    const run = await runCli(['audit', '--require-strict', '--consul', consul.url], cwd);
    expect(run.stderr).toBe('');
    // The per-namespace line stays about the managed namespaces.
    expect(run.stdout).toContain('permissive service-defaults: none\n');
    expect(run.stdout).toContain("permissive service-defaults outside this target's namespaces: other (namespace unmanaged) (not managed by this target)");
    expect(run.stdout).toContain('not strict yet');
    expect(run.stdout).not.toContain(STRICT_LINE);
    expect(run.code).toBe(1);

    const json = await runCli(['audit', '--json', '--consul', consul.url], cwd);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      strict: false,
      verdict: 'not-strict',
      permissiveServices: [],
      outsideTarget: { permissiveServices: ['other (namespace unmanaged) (not managed by this target)'] },
    });
  });

  it('audit --posture fails mesh-no-permissive for it', async () => {
    consul = await ent();
    consul.put({ Kind: 'service-defaults', Name: 'other', Namespace: 'unmanaged', MutualTLSMode: 'permissive' });
    const cwd = tempTree({ 'consul-gitops.yaml': NAMED });
    const front = await withoutAcls(consul.url);
    const run = await runCli(['audit', '--posture', '--json', '--require', 'mesh-no-permissive', '--consul', front.url], cwd).finally(() => front.close());
    const finding = (JSON.parse(run.stdout) as { findings: { id: string; status: string; evidence: string }[] }).findings.find(
      (f) => f.id === 'mesh-no-permissive',
    );
    expect(finding?.status).toBe('fail');
    expect(finding?.evidence).toContain('other (namespace unmanaged) (not managed by this target)');
    expect(run.code).toBe(1);
  });

  it('is strict when nothing in the partition is permissive, after one ?ns=* read', async () => {
    consul = await ent();
    const cwd = tempTree({ 'consul-gitops.yaml': NAMED });
    const run = await runCli(['audit', '--require-strict', '--consul', consul.url], cwd);
    expect(run.stdout).toContain("permissive service-defaults outside this target's namespaces: none");
    expect(run.stdout).toContain(STRICT_LINE);
    expect(run.code).toBe(0);
    const everywhere = consul.http.requests.filter(
      (r) => r.url.startsWith('/v1/config/service-defaults?') && new URL(r.url, 'http://x').searchParams.get('ns') === '*',
    );
    expect(everywhere).toHaveLength(1);
  });

  it('says it could not see the rest of the mesh when ACLs hide a namespace, and is never strict', async () => {
    consul = await ent({ hidden: ['secret'] });
    consul.put({ Kind: 'service-defaults', Name: 'hidden', Namespace: 'secret', MutualTLSMode: 'permissive' });
    const cwd = tempTree({ 'consul-gitops.yaml': NAMED });

    const run = await runCli(['audit', '--require-strict', '--consul', consul.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain(STRICT_LINE);
    expect(run.stdout).toContain('not known to be strict');
    expect(run.stdout).toContain('could not see the rest of the mesh');
    expect(run.stdout).not.toContain('hidden (namespace');
    expect(run.code).toBe(1);

    const json = await runCli(['audit', '--json', '--consul', consul.url], cwd);
    expect(json.code).toBe(0);
    const audit = JSON.parse(json.stdout) as { strict: boolean; verdict: string; outsideTarget: { unreadable: string; permission: string } };
    expect(audit).toMatchObject({ strict: false, verdict: 'unknown' });
    expect(audit.outsideTarget.unreadable).toContain('every namespace');
  });
});

describe('audit of a target that names its namespaces, a sidecar registered permissive outside them', () => {
  it('names it with its namespace and is not strict, in audit and audit --posture', async () => {
    consul = await startEnterpriseDouble({ sidecarsIn: { unmanaged: ['pay'] } });
    consul.put({ Kind: 'mesh', Name: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });
    const cwd = tempTree({ 'consul-gitops.yaml': NAMED });
    const front = await withoutAcls(consul.url, { permissiveSidecarsIn: { unmanaged: ['pay'] } });
    try {
      const run = await runCli(['audit', '--require-strict', '--consul', front.url], cwd);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('permissive sidecar registrations (Proxy.MutualTLSMode): none\n');
      expect(run.stdout).toContain(
        "permissive sidecar registrations outside this target's namespaces: pay-sidecar-proxy (namespace unmanaged) (not managed by this target)",
      );
      expect(run.stdout).not.toContain(STRICT_LINE);
      expect(run.code).toBe(1);

      const posture = await runCli(['audit', '--posture', '--json', '--require', 'mesh-no-permissive', '--consul', front.url], cwd);
      const finding = (JSON.parse(posture.stdout) as { findings: { id: string; status: string; evidence: string }[] }).findings.find(
        (f) => f.id === 'mesh-no-permissive',
      );
      expect(finding?.status).toBe('fail');
      expect(finding?.evidence).toContain('pay-sidecar-proxy (namespace unmanaged) (not managed by this target)');
    } finally {
      await front.close();
    }
  });
});

describe('audit whose token may not list every namespace (403)', () => {
  it('says it could not see the rest of the mesh; --require-strict exits 1; posture leaves the check unknown', async () => {
    consul = await ent();
    const cwd = tempTree({ 'consul-gitops.yaml': NAMED });
    const front = await withoutAcls(consul.url, { refuseEveryNamespace: true });
    try {
      const run = await runCli(['audit', '--require-strict', '--consul', front.url], cwd);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('not known to be strict');
      expect(run.stdout).toContain('could not see the rest of the mesh');
      expect(run.stdout).toContain('403');
      expect(run.stdout).not.toContain(STRICT_LINE);
      expect(run.code).toBe(1);

      const posture = await runCli(['audit', '--posture', '--json', '--require', 'mesh-no-permissive', '--consul', front.url], cwd);
      const finding = (JSON.parse(posture.stdout) as { findings: { id: string; status: string }[] }).findings.find((f) => f.id === 'mesh-no-permissive');
      expect(finding?.status).toBe('unknown');
      expect(posture.code).toBe(1);
    } finally {
      await front.close();
    }
  });
});

describe('audit of an Enterprise target without namespaces', () => {
  it('reads the rest of the partition too: a permissive service in another namespace is not strict', async () => {
    consul = await ent();
    consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'billing', MutualTLSMode: 'permissive' });
    const run = await runCli(['audit', '--require-strict', '--consul', consul.url], tempTree({}));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('permissive service-defaults: none\n');
    expect(run.stdout).toContain('ledger (namespace billing) (not managed by this target)');
    expect(run.stdout).not.toContain(STRICT_LINE);
    expect(run.code).toBe(1);
  });
});
