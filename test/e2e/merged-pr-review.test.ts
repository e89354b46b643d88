// A merged pull request through the Lambda handlers: the merge applies what Git says (GitOps), and
// when that is not the plan shown on the pull request's head, the merge commit's status says so,
// naming the entries, and the pull request gets a comment with the whole difference.
import { describe, expect, it } from 'vitest';
import { pullRequestOpened, pushOf } from '../support/github-events.ts';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/api-intentions.hcl': 'Kind = "service-intentions"\nName = "api"\nSources = [{ Name = "web", Action = "allow" }]\n',
};
const strict = { ...tree, 'config-entries/api.hcl': tree['config-entries/api.hcl'].replace('permissive', 'strict') };

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

async function deliver(event: string, payload: unknown) {
  expect((await h.deliver(event, payload)).statusCode).toBe(202);
}

async function pushed(sha: string) {
  await deliver('push', pushOf(sha));
}

/** The base applied, then a pull request making api strict, planned on its head. */
async function reviewedPullRequest(): Promise<number> {
  await pushed(h.github.addCommit(tree, 'base', { branch: 'master' }));
  const number = h.github.addPullRequest({ head: 'strict-api', files: strict });
  await planned(number);
  expect(h.github.comments.at(-1)!.body).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
  return number;
}

async function planned(number: number) {
  await deliver('pull_request', pullRequestOpened(h.github, number, 'strict-api'));
}

function mergeStatus(): { state: string; description?: string } {
  const merged = h.github.refSha('master')!;
  return h.github.statuses.filter((s) => s.sha === merged).at(-1)!;
}

describe('a merged pull request', () => {
  it('applied as reviewed: the status says only what was applied', async () => {
    const number = await reviewedPullRequest();
    h.github.closePullRequest(number, { merge: true });
    await pushed(h.github.refSha('master')!);
    expect(mergeStatus()).toMatchObject({ state: 'success', description: 'Apply: 1 applied, 0 failed, 0 conflicts, 0 not attempted.' });
    expect(h.github.comments.filter((c) => c.body.includes('not the plan reviewed here'))).toEqual([]);
  });

  it('when Consul changed after the review: applied as Git says, and the status and the pull request name what differs', async () => {
    const number = await reviewedPullRequest();
    // Someone deletes the intentions by hand after the review: the merge recreates them, unreviewed.
    expect((await fetch(`${h.consul.url}/v1/config/service-intentions/api`, { method: 'DELETE' })).status).toBe(200);
    h.github.closePullRequest(number, { merge: true });
    await pushed(h.github.refSha('master')!);
    const status = mergeStatus();
    expect(status.state).toBe('success');
    expect(status.description).toContain(`Differs from the plan reviewed on #${number} in 1 entry: service-intentions/api (no change → create).`);
    expect(status.description).toContain('Apply: 2 applied');
    const comment = h.github.comments.find((c) => c.body.includes('not the plan reviewed here'))!;
    expect(comment.issue_number).toBe(number);
    expect(comment.body).toContain('`service-intentions/api: create not in the reviewed plan`');
    // GitOps: what Git says is live.
    expect((await fetch(`${h.consul.url}/v1/config/service-intentions/api`)).status).toBe(200);
    const api = (await (await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).json()) as { MutualTLSMode?: string };
    expect(api.MutualTLSMode).toBe('strict');
  });

  it('when its head moved after the last plan shown on it: the status says the merged head was never planned', async () => {
    const number = await reviewedPullRequest();
    const reviewedHead = h.github.refSha('strict-api')!;
    // A push to the branch whose pull_request event never arrived: its plan was never shown.
    h.github.addCommit({ ...strict, 'config-entries/api.hcl': strict['config-entries/api.hcl'].replace('"http"', '"grpc"') }, 'grpc', { branch: 'strict-api' });
    const mergedHead = h.github.refSha('strict-api')!;
    h.github.closePullRequest(number, { merge: true });
    await pushed(h.github.refSha('master')!);
    const status = mergeStatus();
    expect(status.description).toContain(
      `Not the reviewed plan: the plan shown on #${number} is for ${reviewedHead.slice(0, 7)}, not for its merged head ${mergedHead.slice(0, 7)}`,
    );
    const api = (await (await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).json()) as { Protocol?: string };
    expect(api.Protocol).toBe('grpc');
  });
});
