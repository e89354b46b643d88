// A throwaway git repository for the tests of `--write-branch`: a runner bound to one folder, with a
// fixed author so commits work on a machine with no git identity.
import { execFileSync } from 'node:child_process';

const IDENTITY = { GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.test', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.test' };

/** Runs `git` in `cwd` and returns its stdout as text. */
export const gitIn =
  (cwd: string) =>
  (...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY } });

/** Makes `cwd` a repository on `main` holding everything in it as one commit; returns its runner. */
export function commitAll(cwd: string): (...args: string[]) => string {
  const git = gitIn(cwd);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  return git;
}
