// Git's order of two commits in a local repository, for `apply --commit`: committer times have
// one-second resolution, so two commits of the same second (a merge queue, a bot) are ordered by
// the history, as the webhook path orders them with GitHub's compare. `git merge-base --is-ancestor`
// answers 0 (ancestor), 1 (not), or fails (a commit this repository does not have).
import type { CommitOrderAnswer } from '../../app/ports/github.ts';
import { runGit } from './run-git.ts';

/**
 * Git's order of two commits (how `head` stands to `base`), asked in the repository holding `cwd`;
 * `{ unknown }` when git cannot say (no repository there, a commit it lacks): the stale rule then
 * falls back to the commit times, which `--commit-time` gave.
 */
export function localCommitOrder(cwd: string): (base: string, head: string) => Promise<CommitOrderAnswer> {
  // Only the repository of `cwd` is asked: an inherited GIT_DIR would point elsewhere.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE']) delete env[k];
  const isAncestor = async (ancestor: string, of: string): Promise<boolean | { unknown: string }> => {
    const run = await runGit(['merge-base', '--is-ancestor', `${ancestor}^{commit}`, `${of}^{commit}`], { cwd, env }).catch((e: unknown) => ({
      code: -1,
      stderr: `cannot run git: ${e instanceof Error ? e.message : String(e)}`,
    }));
    if (run.code === 0) return true;
    if (run.code === 1) return false;
    return { unknown: `in ${cwd}, git merge-base says "${run.stderr.trim().split('\n')[0] ?? ''}"` };
  };
  return async (base, head) => {
    if (base === head) return 'identical';
    const forward = await isAncestor(base, head);
    if (typeof forward === 'object') return forward;
    if (forward) return 'ahead';
    const back = await isAncestor(head, base);
    if (typeof back === 'object') return back;
    return back ? 'behind' : 'diverged';
  };
}
