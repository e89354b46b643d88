// A client for the loopback GitHub double: token auth, no throttling (it spaces writes 1 s apart),
// retries off unless a test turns them on.
import { createGitHubClient, type GitHubClientOptions, type Octokit } from '../../../src/adapters/github/octokit.ts';
import type { GitHubDouble } from '../../support/github-double.ts';

export const TOKEN = 'ghp_testTOKEN0123456789abcdefSECRET';

export function clientFor(double: GitHubDouble, options: Partial<GitHubClientOptions> = {}): Promise<Octokit> {
  return createGitHubClient({ auth: { token: TOKEN }, baseUrl: double.url, throttle: false, retries: 0, ...options });
}
