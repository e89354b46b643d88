// CLI `apply --commit` orders two commits of the same committer second by the local repository's
// history (`git merge-base --is-ancestor`), as the webhook path orders them with GitHub's compare: an
// older commit of the same second as the last applied one is refused, a newer one is applied, and
// two unrelated commits of the same second are refused as unorderable. Before, the same second
// counted as "not older" and the older commit rolled the mesh back. A real git repository.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { commitAll } from '../support/git-repo.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();
const SECOND = '2026-11-25T10:00:00Z';
const api = (protocol: string) => `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n`;

/** A repository with A (tcp) and its child B (http) on main; the runner and both commits. */
function repository(): { dir: string; git: (...args: string[]) => string; a: string; b: string } {
  const dir = tempTree({ 'config-entries/api.hcl': api('tcp') });
  const git = commitAll(dir);
  const a = git('rev-parse', 'HEAD').trim();
  writeFileSync(join(dir, 'config-entries/api.hcl'), api('http'));
  git('commit', '-qam', 'B: http');
  const b = git('rev-parse', 'HEAD').trim();
  return { dir, git, a, b };
}

/** Checks out `sha` and applies it as that commit, of SECOND. */
async function applyAt(dir: string, git: (...args: string[]) => string, sha: string) {
  git('checkout', '-q', sha);
  return runAgainst(server.url, applyCommand, ['--commit', sha, '--commit-time', SECOND, '--lock-wait', '0'], dir);
}

async function liveProtocol(): Promise<unknown> {
  const res = await fetch(`${server.url}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as { Protocol?: string }).Protocol;
}

describe('CLI apply --commit, two commits of the same second', () => {
  it('the parent after its child is refused as older by the history; Consul keeps the child', async () => {
    const { dir, git, a, b } = repository();
    expect((await applyAt(dir, git, b)).code).toBe(0);
    const older = await applyAt(dir, git, a);
    expect(older.code).toBe(1);
    expect(older.stderr).toContain(
      `commit ${a.slice(0, 12)} (${SECOND}) is older than ${b.slice(0, 12)} (${SECOND}), applied at 2026-11-25T12:00:00.000Z (the same second; ${b.slice(0, 12)} has it in its history): refusing to roll the mesh back`,
    );
    expect(await liveProtocol()).toBe('http');
  });

  it('the child after its parent is applied', async () => {
    const { dir, git, a, b } = repository();
    expect((await applyAt(dir, git, a)).code).toBe(0);
    const newer = await applyAt(dir, git, b);
    expect([newer.code, newer.stderr]).toEqual([0, '']);
    expect(await liveProtocol()).toBe('http');
  });

  it("an unrelated commit of the same second (a rewritten branch) is refused: neither is in the other's history", async () => {
    const { dir, git, b } = repository();
    expect((await applyAt(dir, git, b)).code).toBe(0);
    git('checkout', '-q', '--orphan', 'rewritten');
    writeFileSync(join(dir, 'config-entries/api.hcl'), api('grpc'));
    git('commit', '-qam', 'C: grpc, unrelated');
    const c = git('rev-parse', 'HEAD').trim();
    const run = await applyAt(dir, git, c);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot be ordered: commit ${c.slice(0, 12)} and the applied ${b.slice(0, 12)} have the same commit time (${SECOND})`);
    expect(await liveProtocol()).toBe('http');
  });

  it('a last applied commit this repository does not have: refused, saying to fetch it, nothing applied', async () => {
    const { dir, b } = repository();
    const elsewhere = 'c'.repeat(40);
    const first = await runAgainst(server.url, applyCommand, ['--commit', elsewhere, '--commit-time', SECOND], dir);
    expect(first.code).toBe(0);
    writeFileSync(join(dir, 'config-entries/api.hcl'), api('grpc'));
    // Through main(): the error is rendered by its code, as a user sees it.
    const run = await runCli(['apply', '--commit', b, '--commit-time', SECOND, '--consul', server.url], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot order commit ${b.slice(0, 12)} and the applied ${elsewhere.slice(0, 12)} (the same commit time) by the history`);
    expect(run.stderr).toContain('fetch both commits (git fetch) and run again, nothing was applied');
    expect(await liveProtocol()).toBe('http');
  });

  it('apply FILE: a plan saved at the parent, applied after its child of the same second, is refused as older', async () => {
    // Both commits made in one committer second, as plan --out reads the time from git.
    const saved = process.env.GIT_COMMITTER_DATE;
    process.env.GIT_COMMITTER_DATE = '2026-11-25T10:00:00+00:00';
    let repo: ReturnType<typeof repository>;
    try {
      repo = repository();
    } finally {
      if (saved === undefined) delete process.env.GIT_COMMITTER_DATE;
      else process.env.GIT_COMMITTER_DATE = saved;
    }
    const { dir, git, a, b } = repo;
    expect((await applyAt(dir, git, b)).code).toBe(0);
    git('checkout', '-q', a);
    const file = join(mkdtempSync(join(tmpdir(), 'consul-gitops-plan-')), 'a.plan');
    expect((await runCli(['plan', '--out', file, '--consul', server.url], dir)).code).toBe(0);
    const run = await runCli(['apply', file, '--consul', server.url], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`(the same second; ${b.slice(0, 12)} has it in its history): refusing to roll the mesh back`);
    expect(await liveProtocol()).toBe('http');
  });
});
