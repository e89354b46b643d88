// Tenancy facts: how a target's namespaces become list requests, how Enterprise is recognised, and
// what consul-gitops.yaml accepts for `namespaces`.
import { describe, expect, it } from 'vitest';
import { consulOfLive, isEnterpriseVersion, listNamespaces, parseTargetConsul } from '../../../src/model/tenancy.ts';
import { parseTargetsFile } from '../../../src/config/targets.ts';

describe('listNamespaces', () => {
  it("lists the client's namespace when the target names none (CE and single-namespace targets)", () => {
    expect(listNamespaces('service-defaults', undefined)).toEqual([undefined]);
  });
  it('uses the wildcard for all, and each named namespace once (case-insensitively)', () => {
    expect(listNamespaces('service-intentions', 'all')).toEqual(['*']);
    expect(listNamespaces('service-defaults', ['billing', 'Billing', 'team'])).toEqual(['billing', 'team']);
  });
  it('lists a partition-level kind once, in default', () => {
    expect(listNamespaces('proxy-defaults', ['billing', 'team'])).toEqual(['default']);
    expect(listNamespaces('exported-services', ['billing'])).toEqual(['default']);
  });
});

describe('recognising Enterprise', () => {
  it('from the version Consul reports (/v1/agent/self Config.Version)', () => {
    expect(isEnterpriseVersion('1.22.0+ent')).toBe(true);
    expect(isEnterpriseVersion('1.22.0')).toBe(false);
    expect(parseTargetConsul('1.21.4+ent')).toEqual({ major: 1, minor: 21, patch: 4, enterprise: true });
    expect(parseTargetConsul('1.21.4')).toEqual({ major: 1, minor: 21, patch: 4 });
  });
  it('from a live entry that carries a Partition; a CE entry leaves the version as it was', () => {
    expect(consulOfLive({ Kind: 'service-defaults', Name: 'web', Partition: 'default' }, undefined)).toMatchObject({ enterprise: true });
    expect(consulOfLive({ Kind: 'service-defaults', Name: 'web' }, undefined)).toBeUndefined();
  });
});

describe('consul-gitops.yaml namespaces', () => {
  const file = (ns: string) => `targets:\n  - name: t\n    namespaces: ${ns}\n`;
  it('accepts all or a list of names', () => {
    expect(parseTargetsFile(file('all')).targets[0].namespaces).toBe('all');
    expect(parseTargetsFile(file('[billing, team-a]')).targets[0].namespaces).toEqual(['billing', 'team-a']);
  });
  it('refuses a wildcard in a list, an empty list and other words, naming the key', () => {
    expect(() => parseTargetsFile(file('["*"]'))).toThrow(/targets\.0\.namespaces/);
    expect(() => parseTargetsFile(file('[]'))).toThrow(/targets\.0\.namespaces/);
    expect(() => parseTargetsFile(file('every'))).toThrow(/targets\.0\.namespaces: expected "all" or a list of namespace names/);
  });
});
