// The link index records each service a chain entry names once, lower-cased (Consul's names are
// case-insensitive): a router sending two routes to `API` and `api` links once, so removing it
// unlinks it once, and a router with hundreds of routes is deduplicated as a short one is.
import { describe, expect, it } from 'vitest';
import { lowerOnce } from '../../../src/model/related-services.ts';
import { DevState } from '../../../src/dev-server/state.ts';
import { graphError } from '../../../src/core/plan/write-graph-check.ts';

describe('the services a chain entry links to', () => {
  it('are lower-cased and each kept once, in the order first named, for short and long lists', () => {
    expect(lowerOnce([])).toEqual([]);
    expect(lowerOnce(['API', 'web', 'api', 'Web', 'db'])).toEqual(['api', 'web', 'db']);
    const many = Array.from({ length: 40 }, (_, i) => (i % 2 ? `SVC-${i % 10}` : `svc-${i % 10}`));
    expect(lowerOnce(many)).toEqual(['svc-0', 'svc-1', 'svc-2', 'svc-3', 'svc-4', 'svc-5', 'svc-6', 'svc-7', 'svc-8', 'svc-9']);
  });

  it('let the dev server refuse taking HTTP away from a service a router sends to under two spellings, and allow it once the router is gone', () => {
    const state = new DevState();
    state.putEntry('service-defaults', 'api', { Kind: 'service-defaults', Name: 'api', Protocol: 'http' });
    state.putEntry('service-defaults', 'web', { Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    const router = {
      Kind: 'service-router',
      Name: 'web',
      Routes: [
        { Match: { HTTP: { PathPrefix: '/a' } }, Destination: { Service: 'API' } },
        { Match: { HTTP: { PathPrefix: '/b' } }, Destination: { Service: 'api' } },
      ],
    };
    state.putEntry('service-router', 'web', router);
    const tcp = { Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' };
    const existing = state.getEntry('service-defaults', 'api')!.entry;
    expect(graphError(state.graphView, existing, tcp)).toMatch(/protocol/i);
    state.deleteEntry('service-router', 'web');
    expect(state.graphView.linking('api')).toEqual([]);
    expect(graphError(state.graphView, existing, tcp)).toBeUndefined();
  });
});
