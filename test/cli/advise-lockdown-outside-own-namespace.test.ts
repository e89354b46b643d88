// A target without `namespaces` on Consul Enterprise reads its own namespace only, while the mesh
// entry's AllowEnablingPermissiveMutualTLS is one per partition: `advise --open-prs` through main()
// against the loopback Enterprise double and the GitHub double must not open the lockdown PR while
// a service of another namespace is permissive (merged, it would refuse that namespace's plaintext
// clients), nor while that namespace cannot be seen. On Community Edition (the dev server) the one
// namespace is the one the run read: the `?ns=*` read's 400 leaves the lockdown as it was.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { trafficBy } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/mesh.hcl' };
const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: ent\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
};
const NOW = new Date('2026-11-25T12:00:00Z');

const dev = devServerPerTest();
let consul: EnterpriseDouble | undefined;
let github: GitHubDouble;
beforeEach(async () => {
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterEach(async () => {
  await consul?.close();
  consul = undefined;
  await github.close();
});

/**
 * A proxy in front of `target` that records each request with its answer's status; with
 * `refuseEveryNamespace`, the `?ns=*` read gets Consul's 403 for a token granted its own namespace only.
 */
async function inFront(target: string, opts: { refuseEveryNamespace?: boolean; permissiveSidecarsIn?: Record<string, string[]> } = {}) {
  const seen: { url: string; status: number }[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (opts.refuseEveryNamespace && new URL(url, 'http://x').searchParams.get('ns') === '*') {
      seen.push({ url, status: 403 });
      return res.writeHead(403).end("Permission denied: token with AccessorID 'a1' lacks permission 'service:read' on \"*\"");
    }
    // The double registers no sidecar with a mode of its own; these namespaces' catalogs answer the permissive filter with some.
    const parsed = new URL(url, 'http://x');
    const sidecars = opts.permissiveSidecarsIn?.[parsed.searchParams.get('ns') ?? 'default'];
    if (parsed.pathname === '/v1/catalog/services' && sidecars && parsed.searchParams.get('filter')?.includes('ServiceProxy.MutualTLSMode == "permissive"')) {
      seen.push({ url, status: 200 });
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(Object.fromEntries(sidecars.map((s) => [`${s}-sidecar-proxy`, []]))));
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(`${target}${url}`, { method: req.method, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) }).then(async (r) => {
        seen.push({ url, status: r.status });
        res.writeHead(r.status, Object.fromEntries(r.headers)).end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** `ledger` in namespace `other` with this mode; `hidden`: namespaces the token may not read. */
async function enterprise(ledgerMode: string, hidden: string[] = []): Promise<string> {
  consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] }, hidden });
  consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
  consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: ledgerMode });
  return consul.url;
}

async function openPrs(consulUrl: string): Promise<{ stdout: string; heads: string[] }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', consulUrl, '--stats', 'envoy', '--open-prs'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
    {
      now: () => NOW,
      trafficSource: () => trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]),
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url },
      github: { throttle: false, retries: 0 },
    },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(github.unexpected).toEqual([]);
  return { stdout, heads: github.pulls.map((p) => p.head) };
}

describe('advise --open-prs, an Enterprise target without namespaces, and the rest of its partition', () => {
  it('opens no lockdown PR while a service in another namespace is permissive, naming it as not managed by this target', async () => {
    const { stdout, heads } = await openPrs(await enterprise('permissive'));
    expect(heads).toEqual([]);
    expect(stdout).toContain('ledger (namespace other) (not managed by this target)');
  });

  it('opens no lockdown PR while the other namespace is hidden from the token, saying it could not see the rest of the mesh', async () => {
    const { stdout, heads } = await openPrs(await enterprise('strict', ['other']));
    expect(heads).toEqual([]);
    expect(stdout).toContain('could not see the rest of the mesh');
  });

  it('opens no lockdown PR while the token is refused the read of every namespace (403), saying it could not see the rest of the mesh', async () => {
    const proxy = await inFront(await enterprise('strict'), { refuseEveryNamespace: true });
    try {
      const { stdout, heads } = await openPrs(proxy.url);
      expect(heads).toEqual([]);
      expect(stdout).toContain('could not see the rest of the mesh');
      expect(stdout).toContain("lacks permission 'service:read'");
    } finally {
      await proxy.close();
    }
  });

  it('opens no lockdown PR while a sidecar in another namespace is registered permissive, naming it as not managed by this target', async () => {
    const proxy = await inFront(await enterprise('strict'), { permissiveSidecarsIn: { other: ['ledger'] } });
    try {
      const { stdout, heads } = await openPrs(proxy.url);
      expect(heads).toEqual([]);
      expect(stdout).toContain('ledger-sidecar-proxy (namespace other) (not managed by this target)');
    } finally {
      await proxy.close();
    }
  });

  it('opens the lockdown PR once every namespace of the partition is strict', async () => {
    const { heads } = await openPrs(await enterprise('strict'));
    expect(heads).toEqual(['consul-gitops/mesh-lockdown/ent']);
  });
});

describe('advise --open-prs, a Community Edition target (the dev server)', () => {
  it("opens the lockdown PR: the ?ns=* read's 400 says the one namespace is the one the run read", async () => {
    const res = await fetch(`${dev.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS }),
    });
    expect(res.status).toBe(200);
    await registerSidecar(dev.url, 'api');
    const proxy = await inFront(dev.url);
    try {
      const { heads } = await openPrs(proxy.url);
      expect(heads).toEqual(['consul-gitops/mesh-lockdown/ent']);
      // One read, answered CE's 400, shared by the lockdown gate and the posture dashboard's audit.
      const wildcard = { url: '/v1/config/service-defaults?filter=MutualTLSMode+%3D%3D+%22permissive%22&ns=*', status: 400 };
      expect(proxy.seen.filter((r) => /[?&]ns=/.test(r.url))).toEqual([wildcard]);
    } finally {
      await proxy.close();
    }
  });
});
