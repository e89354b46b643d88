// Every kind declares the facts the dev server, the planner and apply read from the registry, and
// the sets derived from them are the ones those readers hard-coded before.
import { describe, expect, it } from 'vitest';
import { KINDS, CONSUL_CE_KINDS, DISCOVERY_CHAIN_KINDS, SECRET_KINDS, isMeshWide, setsMutualTlsMode } from '../../../src/model/registry.ts';
import { configEntryPermission, listPermission } from '../../../src/model/kind-acl.ts';
import type { KindDefinition } from '../../../src/model/kind-definition.ts';

const kindsWhere = (p: (k: KindDefinition) => boolean) =>
  KINDS.filter(p)
    .map((k) => k.kind)
    .sort();

describe('kind facts', () => {
  it('every kind declares every kind-level fact with a known value', () => {
    for (const k of KINDS) {
      const facts = { kind: k.kind, orderRole: k.orderRole, edition: k.edition, scope: k.scope, mtls: k.setsMutualTlsMode, acl: k.acl };
      expect(['provider', 'dependent'], JSON.stringify(facts)).toContain(k.orderRole);
      expect(['ce', 'ce-refuses', 'enterprise'], k.kind).toContain(k.edition);
      expect(['mesh-wide', 'named'], k.kind).toContain(k.scope);
      expect(typeof k.setsMutualTlsMode, k.kind).toBe('boolean');
      expect(typeof k.holdsSecrets, k.kind).toBe('boolean');
      expect(['service', 'intention', 'mesh', 'none'], k.kind).toContain(k.acl.read);
      expect(['service', 'intention', 'mesh'], k.kind).toContain(k.acl.write);
      expect(['named', 'fixed', 'implicit'], k.kind).toContain(k.nameRule.rule);
      expect(k.responseShape, k.kind).toBeDefined();
    }
  });

  it('knows the kinds of Consul CE: all but control-plane-request-limit (structs.MakeConfigEntry, CE)', () => {
    expect([...CONSUL_CE_KINDS].sort()).toEqual(
      [
        'service-defaults',
        'proxy-defaults',
        'service-router',
        'service-splitter',
        'service-resolver',
        'ingress-gateway',
        'terminating-gateway',
        'service-intentions',
        'mesh',
        'exported-services',
        'sameness-group',
        'api-gateway',
        'bound-api-gateway',
        'file-system-certificate',
        'inline-certificate',
        'http-route',
        'tcp-route',
        'jwt-provider',
      ].sort(),
    );
  });

  it('refuses CE writes exactly of the kinds that are not plain CE', () => {
    expect(kindsWhere((k) => k.edition !== 'ce')).toEqual(kindsWhere((k) => k.enterpriseOnly !== undefined));
    expect(kindsWhere((k) => k.edition === 'ce-refuses')).toEqual(['sameness-group']);
  });

  it('treats mesh and proxy-defaults as mesh-wide', () => {
    expect(kindsWhere((k) => isMeshWide(k.kind))).toEqual(['mesh', 'proxy-defaults']);
    expect(isMeshWide('no-such-kind')).toBe(false);
  });

  it('says which kinds set MutualTLSMode, as their fields do', () => {
    expect(kindsWhere((k) => setsMutualTlsMode(k.kind))).toEqual(['proxy-defaults', 'service-defaults']);
    expect(kindsWhere((k) => k.setsMutualTlsMode)).toEqual(kindsWhere((k) => 'MutualTLSMode' in k.fields));
  });

  it('knows the discovery-chain kinds and the kinds that hold secrets', () => {
    expect([...DISCOVERY_CHAIN_KINDS].sort()).toEqual(['service-resolver', 'service-router', 'service-splitter']);
    expect(SECRET_KINDS).toEqual(['inline-certificate']);
    const router = KINDS.find((k) => k.kind === 'service-router')!;
    expect(router.relatedServices!({ Kind: 'service-router', Name: 'web', Routes: [{ Destination: { Service: 'api' } }, {}] })).toEqual(['api']);
    const resolver = KINDS.find((k) => k.kind === 'service-resolver')!;
    const failover = { '*': { Service: 'b', Targets: [{ Service: 'c' }, { Peer: 'p' }] } };
    expect(resolver.relatedServices!({ Kind: 'service-resolver', Name: 'a', Redirect: { Service: 'r' }, Failover: failover })).toEqual(['r', 'b', 'c']);
  });

  it('puts every provider before every dependent in apply order', () => {
    expect(kindsWhere((k) => k.orderRole === 'provider')).toEqual([
      'control-plane-request-limit',
      'jwt-provider',
      'mesh',
      'proxy-defaults',
      'sameness-group',
      'service-defaults',
      'service-resolver',
    ]);
    const lastProvider = Math.max(...KINDS.filter((k) => k.orderRole === 'provider').map((k) => k.applyOrder));
    const firstDependent = Math.min(...KINDS.filter((k) => k.orderRole === 'dependent').map((k) => k.applyOrder));
    expect(lastProvider).toBeLessThan(firstDependent);
  });

  it('maps each kind to the ACL permissions of its CanRead/CanWrite', () => {
    const table = Object.fromEntries(KINDS.map((k) => [k.kind, [configEntryPermission(k.kind, 'web', 'read'), configEntryPermission(k.kind, 'web', 'write')]]));
    const svc = (access: string) => ({ resource: 'service', access, name: 'web' });
    const mesh = (access: string) => ({ resource: 'mesh', access });
    for (const k of ['service-defaults', 'service-router', 'service-splitter', 'service-resolver']) expect(table[k], k).toEqual([svc('read'), svc('write')]);
    expect(table['service-intentions']).toEqual([
      { resource: 'intention', access: 'read', name: 'web' },
      { resource: 'intention', access: 'write', name: 'web' },
    ]);
    for (const k of ['proxy-defaults', 'mesh']) expect(table[k], k).toEqual([undefined, mesh('write')]);
    for (const k of ['ingress-gateway', 'terminating-gateway']) expect(table[k], k).toEqual([svc('read'), mesh('write')]);
    const meshOnly = [
      'api-gateway',
      'bound-api-gateway',
      'http-route',
      'tcp-route',
      'inline-certificate',
      'file-system-certificate',
      'jwt-provider',
      'exported-services',
      'sameness-group',
      'control-plane-request-limit',
    ];
    for (const k of meshOnly) expect(table[k], k).toEqual([mesh('read'), mesh('write')]);
    expect(Object.keys(table).length).toBe(4 + 1 + 2 + 2 + meshOnly.length);
    // An unknown kind falls to Consul's default branch; listing proxy-defaults needs nothing.
    expect(configEntryPermission('no-such-kind', 'x', 'read')).toEqual(mesh('read'));
    expect(listPermission('proxy-defaults')).toBeUndefined();
  });

  it('shapes GET responses only from fields the kind has, Kind first', () => {
    expect(kindsWhere((k) => k.responseShape !== 'as-stored')).toEqual([
      'ingress-gateway',
      'mesh',
      'proxy-defaults',
      'service-defaults',
      'service-intentions',
      'service-router',
      'service-splitter',
      'terminating-gateway',
    ]);
    for (const k of KINDS) {
      if (k.responseShape === 'as-stored') continue;
      const names = k.responseShape.fields.map(([f]) => f);
      expect(names[0], k.kind).toBe('Kind');
      for (const f of names.slice(1)) expect(k.fields, `${k.kind}.${f}`).toHaveProperty(f);
    }
  });
});
