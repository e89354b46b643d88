// The `mTLS posture: <target>` issue on the production path (schedule → reconcile → advisor → the
// GitHub double; the dev server as Consul) when every config entry is strict and the mesh is locked
// down, but a sidecar was registered with its own `Proxy.MutualTLSMode = "permissive"`, which wins
// over the config entries: the mesh is not fully strict, so the issue stays open and says why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const TARGETS = 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = false\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "strict"\n',
};

let h: ServerlessHarness;
beforeEach(async () => {
  h = await startServerlessHarness({
    env: { TARGETS_CONFIG: TARGETS },
    overrides: { trafficSource: () => trafficDouble({ api: [{ plaintextPerMinute: 2, handshakesPerMinute: 20 }] }) },
  });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

async function consul(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${h.consul.url}${path}`, { method, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

describe('the posture issue, a sidecar registered permissive under a strict, locked-down mesh', () => {
  it('stays open and names the sidecar', async () => {
    // Registered while the mesh still allowed permissive mode; then everything was made strict.
    await consul('PUT', '/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    await consul('PUT', '/v1/catalog/register', {
      Node: 'n1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: 'api-sidecar-proxy', Port: 20000, Proxy: { DestinationServiceName: 'api', MutualTLSMode: 'permissive' } },
    });
    await consul('PUT', '/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });
    await consul('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'api', MutualTLSMode: 'strict' });
    h.github.addCommit(tree, 'strict everywhere', { branch: 'master' });

    await h.tick('evt-1');
    const issue = h.github.issues.find((i) => i.title === 'mTLS posture: dc1');
    expect(issue?.state).toBe('open');
    expect(issue?.body).toContain('| `mesh-no-permissive` | **fail** | MutualTLSMode = "permissive": sidecar registration api-sidecar-proxy |');
  });

  it('holds the mesh lockdown back while the sidecar is registered permissive, and proposes it once it is not', async () => {
    const open = {
      ...tree,
      'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n',
    };
    await consul('PUT', '/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, TransparentProxy: { MeshDestinationsOnly: true } });
    await consul('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'api', MutualTLSMode: 'strict' });
    const sidecar = (mode?: string) => ({
      Node: 'n1',
      Address: '10.0.0.7',
      Service: {
        Kind: 'connect-proxy',
        Service: 'api-sidecar-proxy',
        Port: 20000,
        Proxy: { DestinationServiceName: 'api', ...(mode ? { MutualTLSMode: mode } : {}) },
      },
    });
    await consul('PUT', '/v1/catalog/register', sidecar('permissive'));
    h.github.addCommit(open, 'strict services, mesh still open', { branch: 'master' });
    const lockdown = () => h.github.pulls.filter((p) => p.head.startsWith('consul-gitops/mesh-lockdown/'));

    await h.tick('evt-1');
    expect(lockdown()).toEqual([]);
    expect(h.github.issues.find((i) => i.title === 'mTLS posture: dc1')?.body).toContain(
      'the mesh lockdown is held back: 1 sidecar registration sets its own Proxy.MutualTLSMode',
    );

    await consul('PUT', '/v1/catalog/register', sidecar());
    await h.tick('evt-2');
    expect(lockdown().map((p) => p.state)).toEqual(['open']);
  });
});
