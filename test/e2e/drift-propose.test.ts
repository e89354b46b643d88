// driftMode: propose through the production path: EventBridge → schedule function → Lambda API
// (double) → reconcile function (drift mode) → drift check → the one drift pull request on the
// GitHub double. Consul is the dev server; "by hand" is a PUT to it, as `consul config write` does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

const API = '# owned by the payments team\nKind = "service-defaults"\nName = "api"\nProtocol = "http" # L7 routing needs it\n';
const WEB = '{\n  "Kind": "service-defaults",\n  "Name": "web",\n  "Protocol": "http"\n}\n';
const tree = { 'config-entries/api.hcl': API, 'config-entries/web.json': WEB };
const targets = (mode: string) => `targets:\n  - name: dc1\n    dir: config-entries\n    driftMode: ${mode}\n`;
const BRANCH = 'consul-gitops/drift/dc1';

let h: ServerlessHarness;

async function start(mode: string) {
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: targets(mode) } });
}

afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const tick = (id: string) => h.tick(id);

/** An entry as apply left it (with the ownership markers), then changed by hand. */
async function write(entry: Record<string, unknown>, source: string) {
  const res = await fetch(`${h.consul.url}/v1/config`, {
    method: 'PUT',
    body: JSON.stringify({ ...entry, Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': source } }),
  });
  expect(await res.text()).toBe('true');
}

const pullWrites = () => h.github.requests.filter((r) => r.method !== 'GET' && /\/(pulls|git)\b/.test(r.path)).length;

describe('driftMode: propose on the schedule', () => {
  beforeEach(() => start('propose'));

  it('opens one PR that edits the drifted files in place, updates that PR when drift changes, and closes it when drift is gone', async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }, 'config-entries/api.hcl');
    await write({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, 'config-entries/web.json');
    await tick('evt-1');

    expect(h.github.pulls).toHaveLength(1);
    const pr = h.github.pulls[0];
    expect(pr).toMatchObject({ head: BRANCH, base: 'master', state: 'open', title: "Drift: accept Consul's values for 1 entry (dc1)" });
    // One line changed; the comments and the untouched file stay as they were.
    const files = h.github.filesAt(BRANCH);
    expect(files['config-entries/api.hcl']).toBe(API.replace('Protocol = "http"', 'Protocol = "grpc"'));
    expect(files['config-entries/web.json']).toBe(WEB);
    expect(pr.body).toContain('| `service-defaults/api` | `config-entries/api.hcl` | `Protocol` | fields edited in place |');
    // The drift issue is still kept, and points at the proposal.
    const issue = h.github.issues.find((i) => i.title === 'consul-gitops: Consul differs from master (dc1)')!;
    expect(issue.state).toBe('open');
    expect(issue.body).toContain(`Proposed back to Git (\`driftMode: propose\`): `);
    // Consul was not touched: no self-heal.
    expect(((await (await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).json()) as { Protocol: string }).Protocol).toBe('grpc');
    expect(h.logs.join('\n')).toContain('drift PR: opened');
    expect(h.emf).toContainEqual(expect.objectContaining({ Target: 'dc1', DriftedEntries: 1, ReconcileRunsNotOk: 1 }));
    expect(h.logs.join('\n')).not.toContain(GITHUB_TOKEN);

    // Same drift: no GitHub write at all.
    const writes = pullWrites();
    await tick('evt-2');
    expect(pullWrites()).toBe(writes);
    expect(h.github.pulls).toHaveLength(1);

    // More drift: the same PR is updated, never a second one.
    await write({ Kind: 'service-defaults', Name: 'web', Protocol: 'tcp' }, 'config-entries/web.json');
    await tick('evt-3');
    expect(h.github.pulls).toHaveLength(1);
    expect(h.github.pulls[0].title).toBe("Drift: accept Consul's values for 2 entries (dc1)");
    expect(h.github.pulls[0].body).toContain('| `service-defaults/web` | `config-entries/web.json` | `Protocol` |');
    expect(h.github.filesAt(BRANCH)['config-entries/web.json']).toBe(WEB.replace('"http"', '"tcp"'));

    // Someone puts Consul back as Git says: the PR is closed with a comment, and so is the issue.
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }, 'config-entries/api.hcl');
    await write({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, 'config-entries/web.json');
    await tick('evt-4');
    expect(h.github.pulls[0].state).toBe('closed');
    expect(h.github.comments.filter((c) => c.issue_number === pr.number).map((c) => c.body)).toEqual([
      'Consul matches Git again, so there is nothing left to accept. Closing this pull request.',
    ]);
    expect(h.github.issues.find((i) => i.number === issue.number)!.state).toBe('closed');
  });

  it("a GitHub failure on the PR is reported as the proposal's failure; the drift issue still goes out", async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }, 'config-entries/api.hcl');
    h.github.fail({ method: 'GET', path: /\/pulls$/, status: 503, times: 5 });
    await tick('evt-1');
    expect(h.github.pulls).toEqual([]);
    expect(h.github.issues.map((i) => [i.title, i.state])).toEqual([['consul-gitops: Consul differs from master (dc1)', 'open']]);
    expect(h.logs.join('\n')).toContain('drift PR: failed');
  });

  it('does not reopen a drift PR a human closed while the drift stays', async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }, 'config-entries/api.hcl');
    await tick('evt-1');
    const pr = h.github.pulls[0];
    pr.state = 'closed';
    pr.closed_at = new Date().toISOString();
    await tick('evt-2');
    expect(h.github.pulls).toHaveLength(1);
    expect(h.github.pulls[0].state).toBe('closed');
    expect(h.logs.join('\n')).toContain('drift PR: declined');
  });
});

describe('driftMode: report (the default) stays as it was', () => {
  beforeEach(() => start('report'));

  it('reports drift in the issue and opens no pull request', async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }, 'config-entries/api.hcl');
    await tick('evt-1');
    expect(h.github.pulls).toEqual([]);
    expect(h.github.issues.map((i) => [i.title, i.state])).toEqual([['consul-gitops: Consul differs from master (dc1)', 'open']]);
  });
});
