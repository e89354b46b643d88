// Which services the advisor judges, from Git, live entries and the catalog.
import { describe, expect, it } from 'vitest';
import { judgedServices, type GitEntry } from '../../../src/core/advisor/judged-services.ts';
import type { LiveEntry } from '../../../src/model/live-entry.ts';
import type { ServiceRef } from '../../../src/core/advisor/model.ts';

const ref = (name: string): ServiceRef => ({ name, namespace: 'default', partition: 'default' });
const sd = (name: string, mode?: string, extra: Record<string, unknown> = {}) => ({
  Kind: 'service-defaults',
  Name: name,
  ...(mode ? { MutualTLSMode: mode } : {}),
  ...extra,
});
const pd = (mode?: string, extra: Record<string, unknown> = {}) => ({
  Kind: 'proxy-defaults',
  Name: 'global',
  ...(mode ? { MutualTLSMode: mode } : {}),
  ...extra,
});
const git = (entry: Record<string, unknown>, file: string): GitEntry => ({ normalized: { Kind: String(entry.Kind), ...entry }, file });
const OURS = { Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'x' } };
const live = (entry: Record<string, unknown>): LiveEntry => ({ entry: { Kind: String(entry.Kind), ...entry }, modifyIndex: 5 });

describe('judgedServices', () => {
  it('judges a service whose own service-defaults says permissive, naming its file', () => {
    const r = judgedServices({ git: [git(sd('orders', 'permissive'), 'config-entries/orders.hcl')], live: [], catalog: [], expectNoInboundTraffic: [] });
    expect(r.judged).toEqual([{ service: ref('orders'), origin: { kind: 'service-defaults', file: 'config-entries/orders.hcl' } }]);
    expect(r.drift).toEqual([]);
  });

  it('finds services that are permissive only through proxy-defaults in the catalog', () => {
    const r = judgedServices({
      git: [git(pd('permissive'), 'config-entries/proxy-defaults.hcl'), git(sd('api'), 'config-entries/api.hcl')],
      live: [],
      catalog: [ref('api'), ref('billing')],
      expectNoInboundTraffic: [],
    });
    expect(r.judged).toEqual([
      { service: ref('api'), origin: { kind: 'proxy-defaults', file: 'config-entries/proxy-defaults.hcl' }, serviceDefaultsFile: 'config-entries/api.hcl' },
      { service: ref('billing'), origin: { kind: 'proxy-defaults', file: 'config-entries/proxy-defaults.hcl' } },
    ]);
  });

  it('does not judge an inherited service that has no sidecar in the catalog', () => {
    const r = judgedServices({ git: [git(pd('permissive'), 'pd.hcl'), git(sd('batch'), 'batch.hcl')], live: [], catalog: [], expectNoInboundTraffic: [] });
    expect(r.judged).toEqual([]);
  });

  it('lets an explicit strict service-defaults override a permissive proxy-defaults', () => {
    const r = judgedServices({
      git: [git(pd('permissive'), 'pd.hcl'), git(sd('payments', 'strict'), 'payments.hcl')],
      live: [],
      catalog: [ref('payments')],
      expectNoInboundTraffic: [],
    });
    expect(r.judged).toEqual([]);
    expect(r.drift).toEqual([]);
  });

  it('reports a service strict in Git but still permissive in Consul as drift, not judged', () => {
    const r = judgedServices({
      git: [git(sd('payments', 'strict'), 'payments.hcl')],
      live: [live({ ...sd('payments', 'permissive'), ...OURS })],
      catalog: [ref('payments')],
      expectNoInboundTraffic: [],
    });
    expect(r.judged).toEqual([]);
    expect(r.drift).toEqual([{ ...ref('payments'), repair: 'apply repairs it' }]);
  });

  it('reports drift when Consul still inherits permissive from a proxy-defaults Git made strict', () => {
    const r = judgedServices({ git: [git(pd(), 'pd.hcl')], live: [live({ ...pd('permissive'), ...OURS })], catalog: [ref('web')], expectNoInboundTraffic: [] });
    expect(r.drift).toEqual([{ ...ref('web'), repair: 'apply repairs it' }]);
  });

  it('blocks a service whose live service-defaults belongs to consul-k8s', () => {
    const r = judgedServices({
      git: [git(pd('permissive'), 'pd.hcl')],
      live: [live({ ...sd('frontend'), Meta: { 'external-source': 'kubernetes' } })],
      catalog: [ref('frontend')],
      expectNoInboundTraffic: [],
    });
    expect(r.judged).toHaveLength(1);
    expect(r.judged[0].blockedBecause).toMatch(/service-defaults\/frontend in Consul is managed by kubernetes/);
  });

  it('judges a permissive consul-k8s entry that Git does not hold, blocked, since no apply changes it', () => {
    const r = judgedServices({
      git: [],
      live: [live({ ...sd('legacy', 'permissive'), Meta: { 'external-source': 'kubernetes' } })],
      catalog: [],
      expectNoInboundTraffic: [],
    });
    expect(r.judged.map((j) => [j.service.name, j.origin.kind])).toEqual([['legacy', 'service-defaults']]);
    expect(r.judged[0].blockedBecause).toContain('kubernetes');
  });

  it('blocks an unmarked live entry that no file holds: there is no file to change', () => {
    const r = judgedServices({ git: [], live: [live(sd('old', 'permissive'))], catalog: [], expectNoInboundTraffic: [] });
    expect(r.judged[0].blockedBecause).toMatch(/in no file of this tree/);
  });

  it('ignores a live entry of ours that Git no longer holds: it is being removed', () => {
    const r = judgedServices({ git: [git(pd(), 'pd.hcl')], live: [live({ ...sd('gone', 'permissive'), ...OURS })], catalog: [], expectNoInboundTraffic: [] });
    expect(r.judged).toEqual([]);
    expect(r.drift).toEqual([
      { ...ref('gone'), repair: 'apply --prune repairs it: service-defaults/gone in Consul has no file any more', repairNeeds: ['prune'] },
    ]);
  });

  it('marks services the user expects no inbound traffic for, case-insensitively', () => {
    const r = judgedServices({ git: [git(sd('Cron', 'permissive'), 'cron.hcl')], live: [], catalog: [], expectNoInboundTraffic: ['cron'] });
    expect(r.judged[0].expectsNoInboundTraffic).toBe(true);
  });

  it('matches Git and catalog names case-insensitively, as Consul does', () => {
    const r = judgedServices({
      git: [git(pd('permissive'), 'pd.hcl'), git(sd('API', 'strict'), 'api.hcl')],
      live: [],
      catalog: [ref('api')],
      expectNoInboundTraffic: [],
    });
    expect(r.judged).toEqual([]);
  });
  it('blocks a Git service whose live entry lacks the ownership marker until it is adopted', () => {
    const r = judgedServices({
      git: [git(sd('cart', 'permissive'), 'cart.hcl')],
      live: [live(sd('cart', 'permissive'))],
      catalog: [],
      expectNoInboundTraffic: [],
    });
    expect(r.judged[0].blockedBecause).toMatch(/apply --adopt/);
  });

  it('counts a proxy-defaults Git does not hold but no apply removes (set by hand)', () => {
    const r = judgedServices({ git: [], live: [live(pd('permissive'))], catalog: [ref('web')], expectNoInboundTraffic: [] });
    expect(r.judged).toEqual([{ service: ref('web'), origin: { kind: 'proxy-defaults' } }]);
    expect(r.drift).toEqual([]);
  });
});
