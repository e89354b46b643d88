// The discovery chain's L7-protocol problem is known by its code, not its wording: routingProblems
// leaves it to graph-rules (which words it from the service's protocol), and reports every other chain error.
import { describe, expect, it } from 'vitest';
import { compileChain, indexEntries, routingProblems } from '../../../src/core/routing-rules.ts';

const tcpRouter = [
  { Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' },
  { Kind: 'service-router', Name: 'api', Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } } }] },
];

describe('routing problem codes', () => {
  it('compileChain marks the L7-protocol problem advanced-routing-protocol', () => {
    expect(compileChain('api', indexEntries(tcpRouter))).toMatchObject({
      code: 'advanced-routing-protocol',
      message: 'discovery chain "api" uses a protocol "tcp" that does not permit advanced routing or splitting behavior',
    });
  });

  it('routingProblems skips it and keeps a missing subset, which has no code', () => {
    expect(routingProblems(tcpRouter)).toEqual([]);
    const missingSubset = [
      { Kind: 'service-defaults', Name: 'api', Protocol: 'http' },
      { Kind: 'service-resolver', Name: 'api' },
      { Kind: 'service-router', Name: 'api', Routes: [{ Destination: { ServiceSubset: 'v2' } }] },
    ];
    expect(compileChain('api', indexEntries(missingSubset))).not.toHaveProperty('code');
    expect(routingProblems(missingSubset)).toEqual([
      { entryIndex: 2, field: 'Routes[0].Destination.ServiceSubset', message: 'service "api" does not have a subset named "v2"' },
    ]);
  });
});
