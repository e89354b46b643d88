// A strict-mode proposal whose branch someone pushed to by hand, through the schedule path
// (schedule function → reconcile → advisor → GitHub double; Consul is the dev server). The PR body
// says which change its evidence covers: once the branch holds more than that, the body must say so,
// and consul-gitops must neither push over the human's commits nor delete them when it closes the PR.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble, type Trace } from '../support/traffic-double.ts';

const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n';
const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\nMutualTLSMode = "permissive"\n';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': API,
  'config-entries/web.hcl': WEB,
};
const TARGETS = `targets:
  - name: dc1
    dir: config-entries
    advisor:
      window: 7d
      stats: { envoy: {} }
`;
const BRANCH = 'consul-gitops/strict/default/default/api';

let h: ServerlessHarness;
let traces: Record<string, Trace[]>;

beforeEach(async () => {
  // api is ready; web still receives plaintext.
  traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }], web: [{ plaintextPerMinute: 3, handshakesPerMinute: 20 }] };
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: TARGETS }, overrides: { trafficSource: () => trafficDouble(traces) } });
  for (const service of ['api', 'web']) {
    const res = await fetch(`${h.consul.url}/v1/catalog/register`, {
      method: 'PUT',
      body: JSON.stringify({
        Node: `n-${service}`,
        Address: '10.0.0.7',
        Service: { Kind: 'connect-proxy', Service: `${service}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: service } },
      }),
    });
    expect(res.status).toBe(200);
  }
  h.github.addCommit(tree, 'onboard api and web', { branch: 'master' });
  await h.tick('evt-1');
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

/** Someone pushes to the proposal's branch: api strict as proposed, and web strict too (web still takes plaintext). */
function pushByHand(): string {
  const files = h.github.filesAt(BRANCH);
  return h.github.addCommit({ ...files, 'config-entries/web.hcl': files['config-entries/web.hcl'].replace('"permissive"', '"strict"') }, 'also web', {
    branch: BRANCH,
  });
}

describe('a proposal branch edited by hand', () => {
  it('the PR body says the branch holds more than the change its evidence covers, and the human commit stays', async () => {
    const pr = h.github.pulls.find((p) => p.head === BRANCH)!;
    expect(pr.body).not.toContain('changed after consul-gitops proposed it');
    const human = pushByHand();

    await h.tick('evt-2');
    expect(h.github.refSha(BRANCH)).toBe(human);
    expect(pr.state).toBe('open');
    expect(pr.body).toContain('This branch was changed after consul-gitops proposed it');
    expect(pr.body).toContain(human.slice(0, 7));
    expect(h.logs.join('\n')).toContain('advisor: 1 hand-edited');

    // Nothing new: no further GitHub write.
    const writes = () => h.github.requests.filter((r) => r.method !== 'GET' && /\/(pulls|git)\b/.test(r.path)).length;
    const before = writes();
    await h.tick('evt-3');
    expect(writes()).toBe(before);
    expect(h.github.refSha(BRANCH)).toBe(human);
  });

  it('closing it when plaintext comes back keeps the branch with the human commit', async () => {
    const human = pushByHand();
    await h.tick('evt-2');
    traces = { ...traces, api: [{ plaintextPerMinute: 2, handshakesPerMinute: 20 }] };
    await h.tick('evt-3');

    const pr = h.github.pulls.find((p) => p.head === BRANCH)!;
    expect(pr.state).toBe('closed');
    expect(h.github.refSha(BRANCH)).toBe(human);
    const comment = h.github.comments.filter((c) => c.issue_number === pr.number).map((c) => c.body);
    expect(comment.join('\n')).toContain('Plaintext traffic came back to `api`');
    expect(comment.join('\n')).toContain('The branch is kept');
  });
});
