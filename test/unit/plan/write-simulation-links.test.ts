// The write simulation's link index of the plan's own writes (core/plan/write-simulation.ts): a
// service's protocol change is checked against the chains that writes earlier in the same plan
// made link to it (and not against a chain a later write took the link away from), as Consul's
// link index would at that moment of the apply.
import { describe, expect, it } from 'vitest';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { entryIdOf, entryKey } from '../../../src/model/entry-id.ts';
import type { Change } from '../../../src/core/plan/plan.ts';
import { refusedWrites } from '../../../src/core/plan/write-simulation.ts';

const change = (action: 'create' | 'update', after: ApiEntry, before?: ApiEntry): Change => {
  const id = entryIdOf(after);
  return { action, id, key: entryKey(id), after, ...(before ? { before } : {}), fieldDiffs: [], reason: '', cas: 0, wave: 0 };
};
const state = (...entries: ApiEntry[]) => new Map(entries.map((e) => [entryKey(entryIdOf(e)), e]));

const proxyDefaults: ApiEntry = { Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } };
const routerTo = (dest: string): ApiEntry => ({
  Kind: 'service-router',
  Name: 'web',
  Routes: [{ Match: { HTTP: { PathPrefix: '/api' } }, Destination: { Service: dest } }],
});
const apiTcp: ApiEntry = { Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' };

describe('write simulation: chains the plan itself links', () => {
  it('refuses a protocol change of a service that a router written earlier in the plan routes to', () => {
    const writes = [change('create', routerTo('api')), change('create', apiTcp)];
    const refused = refusedWrites(writes, state(proxyDefaults, routerTo('api'), apiTcp));
    expect(refused.map((r) => [r.change.key, r.message])).toEqual([[writes[1].key, expect.stringContaining('discovery chain "web"')]]);
  });

  it('lets it through once a later write of that router routes elsewhere', () => {
    const writes = [change('create', routerTo('api')), change('update', routerTo('other')), change('create', apiTcp)];
    expect(refusedWrites(writes, state(proxyDefaults, routerTo('other'), apiTcp))).toEqual([]);
  });

  it('checks the same at 2,000 writes, each service linked by a router written before it', () => {
    const writes: Change[] = [];
    for (let i = 0; i < 1000; i++) writes.push(change('create', { ...routerTo(`api-${i}`), Name: `web-${i}` }));
    for (let i = 0; i < 1000; i++) writes.push(change('create', { Kind: 'service-defaults', Name: `api-${i}`, Protocol: i === 567 ? 'tcp' : 'http' }));
    const refused = refusedWrites(writes, state(proxyDefaults));
    expect(refused.map((r) => r.change.id.name)).toEqual(['api-567']);
  });
});
