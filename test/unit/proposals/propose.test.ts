// Proposals beyond the in-place flip: a new service-defaults file for an inherited mode, a key
// added to a service-defaults without one, a new mesh file, and every refusal returned as a reason.
import { describe, expect, it } from 'vitest';
import { proposeStrictMode } from '../../../src/core/proposals/propose-strict.ts';
import { proposeMeshLockdown } from '../../../src/core/proposals/propose-lockdown.ts';
import { strictBranchName } from '../../../src/core/proposals/branch-name.ts';
import type { SourceFile } from '../../../src/core/parse-files.ts';

const svc = (name: string) => ({ name, namespace: 'default', partition: 'default' });
const inherited = { kind: 'proxy-defaults' as const, file: 'global.hcl' };
const proxyDefaults: SourceFile = { path: 'global.hcl', text: 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n' };
const mesh: SourceFile = { path: 'mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' };

describe('inherited mode: a new service-defaults file', () => {
  it("goes beside the other service-defaults, in the tree's format, with the known protocol", () => {
    const files = [
      proxyDefaults,
      mesh,
      { path: 'services/a.yaml', text: 'Kind: service-defaults\nName: a\n' },
      { path: 'services/b.yaml', text: 'Kind: service-defaults\nName: b\n' },
      { path: 'services/c.yaml', text: 'Kind: service-defaults\nName: c\n' },
    ];
    const p = proposeStrictMode({ files, service: svc('cart'), origin: inherited, protocol: 'http' });
    expect(p).toEqual({
      ok: true,
      changes: [{ path: 'services/cart.yaml', after: 'Kind: service-defaults\nName: cart\nProtocol: http\nMutualTLSMode: strict\n' }],
    });
  });

  it('never guesses a protocol, avoids an existing file name, and writes HCL at the root when the tree has no service-defaults', () => {
    const files = [proxyDefaults, mesh, { path: 'cart.hcl', text: '# reserved\n' }];
    const p = proposeStrictMode({ files, service: svc('cart'), origin: inherited });
    expect(p).toEqual({
      ok: true,
      changes: [{ path: 'cart-service-defaults.hcl', after: 'Kind          = "service-defaults"\nName          = "cart"\nMutualTLSMode = "strict"\n' }],
    });
  });

  it('writes a ServiceDefaults resource in a CRD tree', () => {
    const files = [
      {
        path: 'k8s/global.yaml',
        text: 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ProxyDefaults\nmetadata:\n  name: global\nspec:\n  mutualTLSMode: permissive\n',
      },
    ];
    const p = proposeStrictMode({ files, service: svc('cart'), origin: inherited, protocol: 'grpc' });
    expect(p).toEqual({
      ok: true,
      changes: [
        {
          path: 'cart.yaml',
          after:
            'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: cart\nspec:\n  protocol: grpc\n  mutualTLSMode: strict\n',
        },
      ],
    });
  });

  it('adds the key to a service-defaults that has no mode, in place', () => {
    const files = [proxyDefaults, mesh, { path: 'cart.hcl', text: 'Kind = "service-defaults"\nName = "cart"\nProtocol = "http" # L7\n' }];
    const p = proposeStrictMode({ files, service: svc('cart'), origin: inherited });
    expect(p).toEqual({ ok: true, changes: [{ path: 'cart.hcl', before: files[2].text, after: files[2].text + 'MutualTLSMode = "strict"\n' }] });
  });

  it('refuses a service name that would become a path outside the directory', () => {
    const p = proposeStrictMode({ files: [proxyDefaults], service: svc('../../etc/passwd'), origin: inherited });
    expect(p).toMatchObject({ ok: false, reason: expect.stringContaining('cannot be used as a file name') });
  });
});

describe('refusals are values with the reason', () => {
  it('a service already strict, or missing from the tree', () => {
    const files = [{ path: 'orders.hcl', text: 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "strict"\n' }];
    expect(proposeStrictMode({ files, service: svc('orders'), origin: { kind: 'service-defaults' } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('already strict'),
    });
    expect(proposeStrictMode({ files, service: svc('billing'), origin: { kind: 'service-defaults' } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no file in the tree defines service-defaults "billing"'),
    });
  });

  it('a mode written as a heredoc is not guessed at', () => {
    const files = [{ path: 'orders.hcl', text: 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = <<EOF\npermissive\nEOF\n' }];
    const p = proposeStrictMode({ files, service: svc('orders'), origin: { kind: 'service-defaults' } });
    // HCL1 keeps the heredoc's newline, so this entry is not "permissive" to Consul either.
    expect(p.ok).toBe(false);
  });

  it('the lockdown is refused while the tree still holds a permissive service: plan would fail', () => {
    const files = [mesh, { path: 'orders.hcl', text: 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' }];
    const p = proposeMeshLockdown({ files, meshDestinationsOnly: false });
    expect(p).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false'),
    });
  });

  it('the lockdown of a mesh already locked down proposes nothing', () => {
    const files = [{ path: 'mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = false\n' }];
    expect(proposeMeshLockdown({ files, meshDestinationsOnly: false })).toMatchObject({ ok: false, reason: expect.stringContaining('already locked down') });
  });

  it('a value inside a one-line HCL block is changed in place', () => {
    const files = [{ path: 'mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy { MeshDestinationsOnly = false }\n' }];
    const p = proposeMeshLockdown({ files, meshDestinationsOnly: true });
    // The value itself is in place: only its own token changes.
    expect(p).toEqual({
      ok: true,
      changes: [
        {
          path: 'mesh.hcl',
          before: files[0].text,
          after: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = false\nTransparentProxy { MeshDestinationsOnly = true }\n',
        },
      ],
    });
  });
});

describe('a new mesh file when the tree has none', () => {
  it("in the tree's format, at the root", () => {
    const files = [{ path: 'services/a.json', text: '{"Kind": "service-defaults", "Name": "a", "MutualTLSMode": "strict"}' }];
    const p = proposeMeshLockdown({ files, meshDestinationsOnly: true });
    expect(p).toEqual({
      ok: true,
      changes: [
        {
          path: 'mesh.json',
          after: '{\n  "Kind": "mesh",\n  "AllowEnablingPermissiveMutualTLS": false,\n  "TransparentProxy": {\n    "MeshDestinationsOnly": true\n  }\n}\n',
        },
      ],
    });
  });
});

describe('branch names', () => {
  it('one per service, valid as a git ref whatever the name', () => {
    expect(strictBranchName(svc('orders'))).toBe('consul-gitops/strict/default/default/orders');
    expect(strictBranchName({ name: 'Web..API.lock', namespace: '', partition: 'Team A' })).toBe(
      'consul-gitops/strict/team-a-35a62206/default/web-api-lock-b74c2246',
    );
    // Consul keys names lower-cased: one service, one branch.
    expect(strictBranchName(svc('Orders'))).toBe(strictBranchName(svc('orders')));
  });
});

describe('intentions that name the service', () => {
  it('lists each source with its action, including the wildcard destination', async () => {
    const { renderTree } = await import('../../../src/core/render.ts');
    const { intentionSourcesFor } = await import('../../../src/core/proposals/intention-sources.ts');
    const tree = renderTree([
      {
        path: 'orders-int.hcl',
        text: 'Kind = "service-intentions"\nName = "orders"\nSources = [\n  { Name = "web", Action = "allow" },\n  { Name = "legacy", Action = "deny" },\n]\n',
      },
      { path: 'all.hcl', text: 'Kind = "service-intentions"\nName = "*"\nSources = [{ Name = "prometheus", Action = "allow" }]\n' },
      { path: 'billing-int.hcl', text: 'Kind = "service-intentions"\nName = "billing"\nSources = [{ Name = "web", Action = "allow" }]\n' },
    ]);
    const entries = tree.entries.map((e) => e.normalized);
    expect(intentionSourcesFor(entries, svc('Orders')).sort()).toEqual(['legacy (deny)', 'prometheus (allow, via the * destination)', 'web (allow)']);
  });
});
