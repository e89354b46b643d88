// The schedule path with the advisor: EventBridge → schedule function → Lambda API (double) →
// reconcile function (drift mode) → drift check, then the advisor on the target's stats source →
// the strict-mode PR and the posture issue on the GitHub double. Consul is the dev server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrafficSourceRequest } from '../../src/runtime/traffic-source.ts';
import { GITHUB_TOKEN, startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble, type Trace } from '../support/traffic-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};
const TARGETS = `targets:
  - name: dc1
    dir: config-entries
    advisor:
      window: 7d
      labels: [mtls, consul-gitops]
      stats: { envoy: {} }
`;

let h: ServerlessHarness;
let traces: Record<string, Trace[]>;
let requests: TrafficSourceRequest[];

beforeEach(async () => {
  requests = [];
  traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] };
  h = await startServerlessHarness({
    env: { TARGETS_CONFIG: TARGETS },
    overrides: {
      trafficSource: (r) => {
        requests.push(r);
        return trafficDouble(traces);
      },
    },
  });
  await registerSidecar(h.consul.url);
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const tick = (id: string) => h.tick(id);

describe('schedule → drift check → advisor', () => {
  it('opens the strict-mode PR and the posture issue after the drift check, and updates nothing on the next tick', async () => {
    h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    await tick('evt-1');

    // The target's advisor.stats, parsed by the stats schema (defaults filled in).
    expect(requests.map((r) => [r.target, Object.keys(r.config as object)])).toEqual([['dc1', ['envoy']]]);
    const pr = h.github.pulls.find((p) => p.head === 'consul-gitops/strict/default/default/api');
    expect(pr).toMatchObject({ title: 'mTLS: move api to strict', base: 'master', state: 'open', labels: ['mtls', 'consul-gitops'] });
    expect(h.github.filesAt(pr!.head)['config-entries/api.hcl']).toContain('MutualTLSMode = "strict"');
    expect(h.github.issues.map((i) => i.title).sort()).toEqual(['consul-gitops: Consul differs from master (dc1)', 'mTLS posture: dc1']);
    expect(h.logs.join('\n')).toContain('advisor: 1 opened');
    expect(h.logs.join('\n')).not.toContain(GITHUB_TOKEN);

    const pullWrites = () => h.github.requests.filter((r) => r.method !== 'GET' && /\/(pulls|git)\b/.test(r.path)).length;
    const before = pullWrites();
    await tick('evt-2');
    expect(pullWrites()).toBe(before);
    expect(h.github.pulls).toHaveLength(1);
    expect(h.logs.join('\n')).toContain('advisor: 1 unchanged');
  });

  it('closes the PR with a comment when plaintext comes back before it is merged', async () => {
    h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    await tick('evt-1');
    traces = { api: [{ plaintextPerMinute: 2, handshakesPerMinute: 20 }] };
    await tick('evt-2');

    const pr = h.github.pulls[0];
    expect(pr.state).toBe('closed');
    expect(h.github.comments.filter((c) => c.issue_number === pr.number).map((c) => c.body.split('\n')[0])).toEqual([
      'Plaintext traffic came back to `api`, so it cannot go strict yet:',
    ]);
  });
});
