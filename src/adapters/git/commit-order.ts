// Git's order of two commits in a local repository, for `apply --commit`: committer times have
// one-second resolution, so two commits of the same second (a merge queue, a bot) are ordered by
// the history, as the webhook path orders them with GitHub's compare. `git merge-base --is-ancestor`
// answers 0 (ancestor), 1 (not), or fails (a commit this repository does not have).
import type { CommitOrder } from '../../app/ports/github.ts';
import { runGit } from './run-git.ts';
import { ConsulGitopsError } from '../../errors.ts';

/** Git's order of two commits (how `head` stands to `base`), asked in the repository holding `cwd`. */
export function localCommitOrder(cwd: string): (base: string, head: string) => Promise<CommitOrder> {
  // Only the repository of `cwd` is asked: an inherited GIT_DIR would point elsewhere.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE']) delete env[k];
  const isAncestor = async (ancestor: string, of: string): Promise<boolean> => {
    const run = await runGit(['merge-base', '--is-ancestor', `${ancestor}^{commit}`, `${of}^{commit}`], { cwd, env }).catch((e: unknown) => {
      throw new ConsulGitopsError('git', `cannot run git to order commits of the same second: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (run.code === 0) return true;
    if (run.code === 1) return false;
    throw new ConsulGitopsError(
      'git',
      `cannot order commit ${of.slice(0, 12)} and the applied ${ancestor.slice(0, 12)} (the same commit time) by the history in ${cwd}: git merge-base says "${run.stderr.trim().split('\n')[0] ?? ''}"; fetch both commits (git fetch) and run again, nothing was applied`,
    );
  };
  return async (base, head) => {
    if (base === head) return 'identical';
    if (await isAncestor(base, head)) return 'ahead';
    if (await isAncestor(head, base)) return 'behind';
    return 'diverged';
  };
}
