// The reconciler core on plain data: semantic diff, ownership, pruning, ordering, CAS conflicts,
// partial failure and the mass-deletion guard.
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../../src/core/parse-files.ts';
import { makePlan } from '../../../src/app/make-plan.ts';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import type { PlanOptions } from '../../../src/core/plan/plan.ts';
import { InMemoryConfigEntryStore } from '../../support/in-memory-config-entry-store.ts';
import { fieldText } from '../../../src/model/field-text.ts';

const opts: PlanOptions = { prune: true, adopt: false };
const f = (path: string, text: string): SourceFile => ({ path, text });

const meshAllow = f('mesh.hcl', 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy { MeshDestinationsOnly = false }\n');
const meshLocked = f('mesh.hcl', 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n');
const api = (mode: string) => f('sd/api.hcl', `Kind = "service-defaults"\nName = "api"\nProtocol = "HTTP"\nMutualTLSMode = "${mode}"\n`);
const apiIntentions = f('si/api.hcl', 'Kind = "service-intentions"\nName = "api"\nSources = [{ Name = "web", Action = "allow" }]\n');

async function planOf(files: SourceFile[], store: InMemoryConfigEntryStore, o: PlanOptions = opts) {
  const outcome = await makePlan(files, store, o);
  expect(outcome.errors).toEqual([]);
  return outcome.plan!;
}

describe('plan', () => {
  it('creates, then says no changes after apply (zero spurious changes)', async () => {
    const store = new InMemoryConfigEntryStore();
    const files = [meshAllow, api('permissive'), apiIntentions];
    const first = await planOf(files, store);
    expect(first.summary).toMatchObject({ create: 3, update: 0, delete: 0 });
    const report = await applyPlan(store, first);
    expect(report.ok).toBe(true);
    const second = await planOf(files, store);
    expect(second.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 3 });
  });

  it('reads Consul with one list call per kind, never one GET per entry', async () => {
    const store = new InMemoryConfigEntryStore();
    await applyPlan(store, await planOf([meshAllow, api('permissive'), apiIntentions], store));
    store.requests.length = 0;
    await planOf([meshAllow, api('permissive'), apiIntentions], store);
    expect(store.requests.every((r) => r.startsWith('list '))).toBe(true);
    expect(new Set(store.requests).size).toBe(store.requests.length);
  });

  it('shows drift as exactly the changed field, and apply repairs it', async () => {
    const store = new InMemoryConfigEntryStore();
    const files = [meshAllow, api('permissive'), apiIntentions];
    await applyPlan(store, await planOf(files, store));
    const live = (await store.get('service-defaults', 'api'))!;
    // Someone edits Consul directly.
    await store.write({ ...live.entry, MutualTLSMode: 'strict' }, live.modifyIndex);
    const drift = await planOf(files, store);
    const change = drift.changes.find((c) => c.action === 'update')!;
    expect(change.id).toMatchObject({ kind: 'service-defaults', name: 'api' });
    expect(change.fieldDiffs).toEqual([{ path: 'MutualTLSMode', before: 'strict', after: 'permissive' }]);
    await applyPlan(store, drift);
    expect((await planOf(files, store)).summary.update).toBe(0);
  });

  it('prunes only owned entries; an unowned entry of the same kind survives', async () => {
    const store = new InMemoryConfigEntryStore();
    store.seed({ Kind: 'service-defaults', Name: 'hand-made', Protocol: 'tcp' });
    const web = f('sd/web.hcl', 'Kind = "service-defaults"\nName = "web"\n');
    const extra = Array.from({ length: 3 }, (_, i) => f(`sd/s${i}.hcl`, `Kind = "service-defaults"\nName = "s${i}"\n`));
    await applyPlan(store, await planOf([web, ...extra], store));
    const plan = await planOf(extra, store);
    expect(plan.changes.filter((c) => c.action === 'delete').map((c) => c.id.name)).toEqual(['web']);
    await applyPlan(store, plan);
    const names = store
      .all()
      .map((e) => e.Name)
      .sort();
    expect(names).toEqual(['hand-made', 's0', 's1', 's2']);
  });

  it('never touches entries consul-k8s owns, even with --adopt, and shows how they differ', async () => {
    const store = new InMemoryConfigEntryStore();
    store.seed({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', Meta: { 'external-source': 'kubernetes' } });
    const files = [meshAllow, api('permissive')];
    for (const adopt of [false, true]) {
      const plan = await planOf(files, store, { ...opts, adopt });
      const skip = plan.changes.find((c) => c.id.name === 'api')!;
      expect(skip).toMatchObject({ action: 'skip', owner: 'kubernetes' });
      expect(skip.reason).toContain('owned by kubernetes');
      expect(skip.fieldDiffs).toEqual([{ path: 'MutualTLSMode', before: undefined, after: 'permissive' }]);
      const report = await applyPlan(store, plan);
      expect(report.ok).toBe(true);
      expect((await store.get('service-defaults', 'api'))!.entry).toMatchObject({ Protocol: 'http', Meta: { 'external-source': 'kubernetes' } });
    }
  });

  it('refuses a mass deletion unless allowed', async () => {
    const store = new InMemoryConfigEntryStore();
    const files = Array.from({ length: 20 }, (_, i) => f(`sd/s${i}.hcl`, `Kind = "service-defaults"\nName = "s${i}"\n`));
    await applyPlan(store, await planOf(files, store));
    const empty = await planOf([], store);
    expect(empty.refused).toContain('refusing to delete every entry');
    await expect(applyPlan(store, empty)).rejects.toThrow('--allow-mass-delete');
    expect(store.all()).toHaveLength(20);
    const most = await planOf(files.slice(0, 4), store);
    expect(most.refused).toContain('refusing to delete 16 of 20');
    // A few deletions are ordinary work.
    expect((await planOf(files.slice(0, 15), store)).refused).toBeUndefined();
    const allowed = await planOf([], store, { ...opts, massDelete: { allow: true } });
    expect(allowed.refused).toBeUndefined();
  });

  it('writes the mesh before the first permissive service', async () => {
    const store = new InMemoryConfigEntryStore();
    const plan = await planOf([api('permissive'), meshAllow, apiIntentions], store);
    const writes = plan.changes.map((c) => `${c.id.kind}/${c.id.name}`);
    expect(writes.indexOf('mesh/mesh')).toBeLessThan(writes.indexOf('service-defaults/api'));
  });

  it('locks the mesh down only after the last permissive service is strict', async () => {
    const store = new InMemoryConfigEntryStore();
    await applyPlan(store, await planOf([meshAllow, api('permissive'), apiIntentions], store));
    const plan = await planOf([meshLocked, api('strict'), apiIntentions], store);
    const order = plan.changes.filter((c) => c.action === 'update').map((c) => c.id.kind);
    expect(order).toEqual(['service-defaults', 'mesh']);
    expect(plan.warnings).toEqual([]);
    const report = await applyPlan(store, plan);
    expect(report.ok).toBe(true);
    const writes = store.requests.filter((r) => r.startsWith('write'));
    expect(writes.slice(-2).map((w) => w.split(' ')[1])).toEqual(['service-defaults/api', 'mesh/']);
  });

  it('fails before any write when a service goes permissive and the mesh does not allow it', async () => {
    const store = new InMemoryConfigEntryStore();
    const outcome = await makePlan([meshLocked, api('permissive')], store, opts);
    expect(outcome.plan).toBeUndefined();
    expect(outcome.errors[0]).toMatchObject({
      file: 'sd/api.hcl',
      line: 4,
      field: 'MutualTLSMode',
      message: 'cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry',
    });
    expect(store.requests.filter((r) => r.startsWith('write'))).toEqual([]);
  });

  it('honours a live mesh entry that the files do not manage', async () => {
    const store = new InMemoryConfigEntryStore();
    store.seed({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    const outcome = await makePlan([api('permissive'), apiIntentions], store, opts);
    expect(outcome.errors).toEqual([]);
  });

  it('warns about a permissive service with no intentions, and a mesh left open', async () => {
    const store = new InMemoryConfigEntryStore();
    const plan = await planOf([meshAllow, api('permissive')], store);
    expect(plan.warnings.map((w) => w.code)).toEqual(['permissive-without-intentions']);
    const open = await planOf([meshAllow, api('strict'), apiIntentions], store);
    expect(open.warnings.map((w) => w.code).sort()).toEqual(['mesh-destinations-only-off', 'permissive-allowed-unused']);
  });
});

describe('apply', () => {
  it('reports a check-and-set conflict and never overwrites a concurrent change', async () => {
    const store = new InMemoryConfigEntryStore();
    const files = [meshAllow, api('permissive'), apiIntentions];
    await applyPlan(store, await planOf(files, store));
    const plan = await planOf([meshAllow, api('strict'), apiIntentions], store);
    // Between plan and apply, someone else changes the entry.
    let raced = false;
    store.beforeWrite = (entry) => {
      if (raced || entry.Name !== 'api') return;
      raced = true;
      const current = (store as unknown as { entries: Map<string, { entry: Record<string, unknown>; modifyIndex: number }> }).entries;
      const live = [...current.values()].find((l) => l.entry.Name === 'api')!;
      live.entry = { ...live.entry, Protocol: 'grpc', ModifyIndex: 999 };
      live.modifyIndex = 999;
    };
    const report = await applyPlan(store, plan);
    expect(report.ok).toBe(false);
    const result = report.results.find((r) => r.change.id.name === 'api' && r.change.id.kind === 'service-defaults')!;
    expect(result.outcome.status).toBe('conflict');
    if (result.outcome.status === 'conflict') {
      expect(result.outcome.message).toContain('changed (ModifyIndex');
      expect(result.outcome.liveDiffs).toEqual([{ path: 'Protocol', before: 'http', after: 'grpc' }]);
    }
    expect((await store.get('service-defaults', 'api'))!.entry.Protocol).toBe('grpc');
  });

  it('keeps going with independent entries and skips the ones that depend on a failure', async () => {
    const store = new InMemoryConfigEntryStore();
    store.failWrites.set('service-defaults/api', 'Unexpected response code: 500 (boom)');
    const web = f('sd/web.hcl', 'Kind = "service-defaults"\nName = "web"\n');
    const plan = await planOf([meshAllow, api('permissive'), apiIntentions, web], store);
    const report = await applyPlan(store, plan);
    expect(report.ok).toBe(false);
    const status = Object.fromEntries(report.results.map((r) => [`${r.change.id.kind}/${r.change.id.name}`, r.outcome.status]));
    expect(status).toEqual({
      'mesh/mesh': 'applied',
      'service-defaults/api': 'failed',
      'service-defaults/web': 'applied',
      'service-intentions/api': 'skipped',
    });
    expect(
      store
        .all()
        .map((e) => `${e.Kind}/${fieldText(e.Name)}`)
        .sort(),
    ).toEqual(['mesh/', 'service-defaults/web']);
  });
});
