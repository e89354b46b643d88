// driftMode: propose, pure part: Consul changed by hand → the entry's file rewritten in its format.
import { describe, expect, it } from 'vitest';
import { driftRewrite } from '../../../src/core/import/drift-rewrite.ts';
import { renderTree } from '../../../src/core/render.ts';
import { importTarget } from '../../../src/core/import/minimal-entry.ts';
import { diffValues } from '../../../src/core/plan/canonical.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';

const live: ApiEntry = {
  Kind: 'service-defaults',
  Name: 'web',
  Protocol: 'http',
  MutualTLSMode: 'permissive',
  Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'x' },
  ModifyIndex: 40,
};

function readsBackAsLive(path: string, text: string): void {
  const tree = renderTree([{ path, text }]);
  expect(diffValues(importTarget(live), tree.entries[0].normalized)).toEqual([]);
}

describe('driftRewrite', () => {
  it('rewrites an HCL file in HCL so it says what Consul now holds', () => {
    const file = { path: 'config-entries/web.hcl', text: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };
    const p = driftRewrite(file, live);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.changes[0].after).toContain('MutualTLSMode = "permissive"');
    expect(p.changes[0].after).not.toContain('managed-by');
    readsBackAsLive(file.path, p.changes[0].after);
  });

  it('keeps a CRD a CRD and plain YAML plain YAML', () => {
    const crd = {
      path: 'k8s/web.yaml',
      text: 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: web\nspec:\n  protocol: http\n',
    };
    const p = driftRewrite(crd, live);
    expect(p.ok && p.changes[0].after).toContain('kind: ServiceDefaults');
    if (p.ok) readsBackAsLive(crd.path, p.changes[0].after);
    const plain = { path: 'web.yml', text: 'Kind: service-defaults\nName: web\n' };
    const q = driftRewrite(plain, live);
    expect(q.ok && q.changes[0].after).toContain('MutualTLSMode: permissive');
  });

  it("edits the changed fields in place: comments, key order and the file's other entries stay", () => {
    const text = '# owned by the web team\nKind = "service-defaults"\nName = "web"\nProtocol = "http" # L7 routing needs it\n';
    const p = driftRewrite({ path: 'config-entries/web.hcl', text }, live);
    expect(p).toMatchObject({ ok: true, how: 'in-place' });
    if (!p.ok) return;
    expect(p.changes[0].after).toBe(`${text}MutualTLSMode = "permissive"\n`);
    readsBackAsLive('config-entries/web.hcl', p.changes[0].after);
    const many = {
      path: 'all.yaml',
      text: 'Kind: service-defaults\nName: web\nProtocol: http # keep\n---\nKind: service-defaults\nName: api\nProtocol: grpc\n',
    };
    const q = driftRewrite(many, live);
    expect(q).toMatchObject({ ok: true, how: 'in-place' });
    if (q.ok)
      expect(q.changes[0].after).toBe(
        'Kind: service-defaults\nName: web\nProtocol: http # keep\nMutualTLSMode: permissive\n---\nKind: service-defaults\nName: api\nProtocol: grpc\n',
      );
  });

  it('refuses a file holding other entries too when the change cannot be made field by field', () => {
    // A field removed in Consul cannot be expressed by a field edit; rewriting whole would touch "api".
    const file = {
      path: 'all.yaml',
      text: 'Kind: service-defaults\nName: web\nProtocol: http\nMutualTLSMode: permissive\nLocalRequestTimeoutMs: 5000\n---\nKind: service-defaults\nName: api\n',
    };
    expect(driftRewrite(file, live)).toMatchObject({ ok: false, reason: expect.stringContaining('defines 2 entries') });
  });

  it('no change when the file already says it', () => {
    const first = driftRewrite({ path: 'w.json', text: '{"Kind":"service-defaults","Name":"web"}' }, live);
    if (!first.ok) throw new Error(first.reason);
    expect(driftRewrite({ path: 'w.json', text: first.changes[0].after }, live)).toEqual({ ok: true, changes: [] });
  });
});
