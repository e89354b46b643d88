// `advise --open-prs`: the proposals' pull requests and the posture dashboard from a workstation or
// CI, with the same GitHub construction as the runtime (GITHUB_TOKEN, or the GitHub App variables;
// GITHUB_API_URL for GitHub Enterprise Server) and GITHUB_REPOSITORY naming the repository.
import { ConsulKvStateStore } from '../adapters/consul/stores.ts';
import type { ConsulClient } from '../adapters/consul/client.ts';
import { createGitHubClient, githubClientOptionsFromEnv, type GitHubClientOptions } from '../adapters/github/octokit.ts';
import { GitHubPostureIssue, GitHubProposalPullRequests } from '../adapters/github/proposal-pull-requests.ts';
import type { ConnectCatalog } from '../app/advise.ts';
import { proposeStrict, type ProposeOptions, type ProposeOutcome } from '../app/proposals/propose-strict.ts';
import { readSecurityPosture } from '../app/proposals/advise-and-propose.ts';
import { consulPostureSource } from '../adapters/consul/posture-source.ts';
import type { AdviceReport, TrafficSampleSource } from '../core/advisor/model.ts';
import type { OutsideTarget } from '../app/ports/audit-source.ts';
import type { SourceFile } from '../core/parse-files.ts';
import { GITHUB_REPOSITORY, readEnvironment, splitRepository } from '../config/environment.ts';
import { ConsulGitopsError } from '../errors.ts';

export class OpenPrsConfigError extends ConsulGitopsError {
  constructor(message: string) {
    super('config', message);
    this.name = 'OpenPrsConfigError';
  }
}

/** GITHUB_REPOSITORY, read by its one definition (src/config/environment.ts), as the Lambda functions and `serve` read it. */
export function repositoryFromEnv(env: Readonly<Record<string, string | undefined>>): { owner: string; repo: string } {
  const read = readEnvironment(env, { repository: GITHUB_REPOSITORY });
  if (!read.ok || !read.values.repository) throw new OpenPrsConfigError('--open-prs: set GITHUB_REPOSITORY to owner/name (GitHub Actions sets it)');
  return splitRepository(read.values.repository);
}

export async function openProposalPullRequests(
  input: {
    report: AdviceReport;
    files: readonly SourceFile[];
    consul: ConsulClient;
    /** The run's read of the rest of the partition, already asked by the lockdown gate (outsideTargetRead). */
    outside?: () => Promise<OutsideTarget | undefined>;
    traffic: TrafficSampleSource;
    catalog: ConnectCatalog;
    options: ProposeOptions;
  },
  env: Readonly<Record<string, string | undefined>>,
  github: Partial<GitHubClientOptions> = {},
): Promise<ProposeOutcome> {
  const repo = repositoryFromEnv(env);
  const octokit = await createGitHubClient({ ...githubClientOptionsFromEnv({ ...env }), ...github });
  const pulls = await GitHubProposalPullRequests.forDefaultBranch(octokit, repo);
  // The schedule's read of the production checklist: without it the dashboard would be closed as
  // "fully strict" while a sidecar registered with its own permissive Proxy.MutualTLSMode takes plaintext.
  const { security } = await readSecurityPosture(consulPostureSource(input.consul, ...(input.outside ? [input.outside] : [])));
  return proposeStrict(
    input.report,
    input.files,
    { pulls, dashboard: new GitHubPostureIssue(octokit, repo), state: new ConsulKvStateStore(input.consul), traffic: input.traffic, catalog: input.catalog },
    { ...input.options, security },
  );
}
