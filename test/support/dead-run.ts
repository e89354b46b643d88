// What a run that died leaves behind, made through GitHub's and Consul's own APIs, and how the tests
// of owed, superseded and leased runs read the outcome (one `api` service-defaults file).
import { expect } from 'vitest';
import { GITHUB_TOKEN, OWNER, REPO } from './serverless-harness.ts';

/** The commit status context of the `default` target. */
export const CONTEXT = 'consul-gitops/default';
/** The `default` target's lease key in Consul KV. */
export const LOCK = 'consul-gitops/state/default/lock';

/** A tree with one service-defaults file for `api` at the given protocol. */
export const treeWith = (protocol: string) => ({ 'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n` });

/** The protocol Consul holds for `api`, or undefined when it has no entry. */
export async function liveProtocol(consulUrl: string): Promise<unknown> {
  const res = await fetch(`${consulUrl}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>).Protocol;
}

/** What a run posts when it starts, through GitHub's API as the run does; then it died. */
export async function pendingAsADeadRunLeavesIt(githubUrl: string, sha: string): Promise<void> {
  const res = await fetch(`${githubUrl}/repos/${OWNER}/${REPO}/statuses/${sha}`, {
    method: 'POST',
    headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'pending', context: CONTEXT, description: 'planning and applying' }),
  });
  expect(res.status).toBe(201);
}
