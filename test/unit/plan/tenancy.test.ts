// Plans against Consul Enterprise response shapes: nested namespace/partition fields compared as
// Enterprise's Normalize() stores them, exported-services keeping Services[].Namespace, and the CE
// path unchanged. No Enterprise server here: the live shapes follow Consul's source (cited in
// src/model/tenancy.ts and docs/enterprise.md).
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../src/core/render.ts';
import { planChanges } from '../../../src/core/plan/plan.ts';
import { withOwnership } from '../../../src/core/plan/ownership.ts';
import { renderPlanText } from '../../../src/core/plan/render-plan.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';

/** What an Enterprise GET returns for an entry of the default namespace and partition. */
const enterprise = (e: Record<string, unknown>) => ({ Partition: 'default', Namespace: 'default', ...e });

function planAgainst(text: string, liveShape: (e: Record<string, unknown>) => Record<string, unknown>, consulVersion?: string) {
  const path = 'entry.hcl';
  const tree = renderTree([{ path, text }]);
  expect(tree.decodeErrors).toEqual([]);
  expect(tree.validationErrors).toEqual([]);
  const d = tree.entries[0];
  const live = liveShape(withOwnership(d.entry, path)) as ApiEntry;
  return planChanges(tree.entries, [{ entry: live, modifyIndex: 5 }], { prune: true, adopt: false, ...(consulVersion ? { consulVersion } : {}) });
}

const exported = (ns: string) => `Kind = "exported-services"\nName = "default"\nServices = [{\n  Name = "api"\n${ns}  Consumers = [{ Peer = "east" }]\n}]\n`;

describe('exported-services on Consul Enterprise', () => {
  it('a service moved to another namespace is a change, not "no changes"', () => {
    const plan = planAgainst(exported('  Namespace = "billing"\n'), (e) =>
      enterprise({ ...e, Services: [{ Name: 'api', Namespace: 'payments', Consumers: [{ Peer: 'east' }] }] }),
    );
    expect(plan.summary).toMatchObject({ update: 1, noop: 0 });
    const text = renderPlanText(plan);
    expect(text).toContain('"payments"');
    expect(text).toContain('"billing"');
  });

  it('a file without Services[].Namespace means the default one Enterprise fills in', () => {
    const plan = planAgainst(exported(''), (e) => enterprise({ ...e, Services: [{ Name: 'api', Namespace: 'default', Consumers: [{ Peer: 'east' }] }] }));
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });

  it('a target configured as Enterprise (consulVersion 1.22.0+ent) keeps the namespace even before any entry is read', () => {
    const plan = planAgainst(
      exported('  Namespace = "billing"\n'),
      (e) => ({ ...e, Services: [{ Name: 'api', Namespace: 'payments', Consumers: [{ Peer: 'east' }] }] }),
      '1.22.0+ent',
    );
    expect(plan.summary.update).toBe(1);
  });
});

const intention = (source: string) => `Kind = "service-intentions"\nName = "api"\nSources = [{\n  Name = "web"\n  Action = "allow"\n${source}}]\n`;

describe('service-intentions sources on Consul Enterprise', () => {
  it("a source without Namespace/Partition equals Consul's copy, which inherits the entry's", () => {
    const plan = planAgainst(intention(''), (e) =>
      enterprise({ ...e, Sources: [{ Name: 'web', Action: 'allow', Namespace: 'default', Partition: 'default', Precedence: 9, Type: 'consul' }] }),
    );
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });

  it('in a non-default namespace, an omitted source namespace is the entry\'s namespace, not "default"', () => {
    const text = `Kind = "service-intentions"\nName = "api"\nNamespace = "team"\nSources = [{\n  Name = "web"\n  Action = "allow"\n}]\n`;
    const same = planAgainst(text, (e) =>
      enterprise({ ...e, Namespace: 'team', Sources: [{ Name: 'web', Action: 'allow', Namespace: 'team', Partition: 'default' }] }),
    );
    expect(same.summary).toMatchObject({ update: 0, noop: 1 });
    const other = planAgainst(text, (e) =>
      enterprise({ ...e, Namespace: 'team', Sources: [{ Name: 'web', Action: 'allow', Namespace: 'default', Partition: 'default' }] }),
    );
    expect(other.summary).toMatchObject({ update: 1 });
  });

  it('a source from another namespace is still a change', () => {
    const plan = planAgainst(intention('  Namespace = "frontend"\n'), (e) =>
      enterprise({ ...e, Sources: [{ Name: 'web', Action: 'allow', Namespace: 'default', Partition: 'default' }] }),
    );
    expect(plan.summary.update).toBe(1);
  });

  it('a peered source gets only its namespace defaulted (no partition)', () => {
    const plan = planAgainst(intention('  Peer = "east"\n'), (e) =>
      enterprise({ ...e, Sources: [{ Name: 'web', Action: 'allow', Peer: 'east', Namespace: 'default' }] }),
    );
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });
});

describe('other nested tenancy fields on Consul Enterprise', () => {
  it("a router destination of a route with an HTTP match inherits the entry's namespace and partition", () => {
    const text = 'Kind = "service-router"\nName = "web"\nRoutes = [{\n  Match { HTTP { PathPrefix = "/api" } }\n  Destination { Service = "api" }\n}]\n';
    const plan = planAgainst(text, (e) =>
      enterprise({ ...e, Routes: [{ Match: { HTTP: { PathPrefix: '/api' } }, Destination: { Service: 'api', Namespace: 'default', Partition: 'default' } }] }),
    );
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });

  it('a resolver redirect is stored as written: a namespace Consul holds and the file lacks is a change', () => {
    const text = 'Kind = "service-resolver"\nName = "web"\nRedirect { Service = "api" }\n';
    const plan = planAgainst(text, (e) => enterprise({ ...e, Redirect: { Service: 'api', Namespace: 'other' } }));
    expect(plan.summary.update).toBe(1);
  });

  it("an upstream override inherits the entry's namespace and partition", () => {
    const text = 'Kind = "service-defaults"\nName = "web"\nUpstreamConfig { Overrides = [{ Name = "db", ConnectTimeoutMs = 500 }] }\n';
    const plan = planAgainst(text, (e) =>
      enterprise({ ...e, UpstreamConfig: { Overrides: [{ Name: 'db', Namespace: 'default', Partition: 'default', ConnectTimeoutMs: 500 }] } }),
    );
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });

  it('a file that spells out Namespace = "default" equals Enterprise\'s copy', () => {
    const plan = planAgainst('Kind = "service-defaults"\nName = "web"\nNamespace = "default"\nProtocol = "http"\n', (e) => enterprise(e));
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });
});

describe('Consul CE: unchanged', () => {
  it('exported-services Services[].Namespace is dropped as CE drops it', () => {
    const plan = planAgainst(exported('  Namespace = "billing"\n'), (e) => ({ ...e, Services: [{ Name: 'api', Consumers: [{ Peer: 'east' }] }] }));
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });

  it('a CE entry (no Partition) with a file naming Namespace "default" still plans the write CE would refuse', () => {
    const plan = planAgainst('Kind = "service-defaults"\nName = "web"\nNamespace = "default"\nProtocol = "http"\n', (e) => {
      const { Namespace: _ns, ...rest } = e;
      return rest;
    });
    expect(plan.summary.update).toBe(1);
  });
});
