// The two webhook payloads the end-to-end tests send: a push of one commit and a pull request opened
// on a branch of the GitHub double, both from GitHub's real examples (github-examples.ts).
import { configPush, example } from '../functions/webhook/github-examples.ts';
import type { GitHubDouble } from './github-double.ts';

/** The real push to master (touching config-entries/), for commit `sha`. */
export function pushOf(sha: string): Record<string, any> {
  const push = configPush();
  push.after = sha;
  return push;
}

/** The real `pull_request` `opened` event for pull request `number`, its head at the tip of `headBranch`, based on master. */
export function pullRequestOpened(github: GitHubDouble, number: number, headBranch: string): Record<string, any> {
  const pr = example('pull_request', (p) => p.action === 'opened');
  pr.number = number;
  pr.pull_request.number = number;
  pr.pull_request.head.sha = github.refSha(headBranch)!;
  pr.pull_request.base.ref = 'master';
  return pr;
}
