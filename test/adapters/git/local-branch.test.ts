// `--write-branch` against a real temporary git repository: the proposal lands as a branch commit
// while the working tree, the index and the checked-out branch stay exactly as they were.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBranchWriter } from '../../../src/adapters/git/local-branch.ts';
import { proposeStrictMode } from '../../../src/core/proposals/propose-strict.ts';
import { strictBranchName } from '../../../src/core/proposals/branch-name.ts';
import { strictProposalBody, strictProposalTitle } from '../../../src/reports/strict-pr.ts';
import type { FileChange } from '../../../src/core/proposals/proposal.ts';
import { readyVerdict } from '../../unit/proposals/sample-verdict.ts';

const ORDERS = 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n';

let repo: string;
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.test', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.test' },
  }).trim();

/** Everything the user could notice about their checkout. */
const checkout = () => ({
  head: git('rev-parse', 'HEAD'),
  branch: git('symbolic-ref', 'HEAD'),
  status: git('status', '--porcelain', '--untracked-files=all'),
  index: git('ls-files', '-s'),
  staged: git('diff', '--cached'),
  unstaged: git('diff'),
  orders: readFileSync(join(repo, 'config/orders.hcl'), 'utf8'),
});

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'cg-branch-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'config'));
  writeFileSync(join(repo, 'config/orders.hcl'), ORDERS);
  writeFileSync(join(repo, 'README.md'), 'hello\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  // The user is elsewhere, mid-work: another branch, a staged change, an unstaged edit, an untracked file.
  git('checkout', '-q', '-b', 'work');
  writeFileSync(join(repo, 'README.md'), 'hello\nstaged\n');
  git('add', 'README.md');
  writeFileSync(join(repo, 'README.md'), 'hello\nstaged\nunstaged\n');
  writeFileSync(join(repo, 'config/orders.hcl'), ORDERS + '# local edit\n');
  writeFileSync(join(repo, 'scratch.txt'), 'untracked\n');
});

afterEach(() => rmSync(repo, { recursive: true, force: true }));

function proposal(): { branch: string; message: string; changes: FileChange[] } {
  const verdict = readyVerdict();
  const p = proposeStrictMode({ files: [{ path: 'orders.hcl', text: ORDERS }], service: verdict.service, origin: { kind: 'service-defaults' } });
  if (!p.ok) throw new Error(p.reason);
  const body = strictProposalBody({ verdict, changes: p.changes, intentionSources: ['web'], statsSource: 'envoy' });
  return { branch: strictBranchName(verdict.service), message: `${strictProposalTitle(verdict)}\n\n${body}`, changes: p.changes };
}

describe('LocalBranchWriter', () => {
  it('creates the proposal branch on the default branch without touching the checkout', async () => {
    const before = checkout();
    const writer = new LocalBranchWriter({ dir: join(repo, 'config') });
    const p = proposal();
    const result = await writer.write(p);
    expect(result).toMatchObject({ ok: true, branch: 'consul-gitops/strict/default/default/orders', outcome: 'created' });
    expect(checkout()).toEqual(before);
    const b = 'consul-gitops/strict/default/default/orders';
    expect(git('show', `${b}:config/orders.hcl`)).toBe(ORDERS.replace('permissive', 'strict').trim());
    expect(git('rev-parse', `${b}^`)).toBe(git('rev-parse', 'main'));
    expect(git('diff', '--name-only', 'main', b)).toBe('config/orders.hcl');
    expect(git('log', '-1', '--format=%an <%ae>|%cn <%ce>', b)).toBe(
      'consul-gitops <consul-gitops@users.noreply.github.com>|consul-gitops <consul-gitops@users.noreply.github.com>',
    );
    const message = git('log', '-1', '--format=%B', b);
    expect(message.split('\n')[0]).toBe('mTLS: move orders to strict');
    expect(message).toContain('<!-- consul-gitops:strict-proposal service=default/default/orders evidence=');
    expect(message).toContain('### Verify by hand');
  });

  it('running again with the same tree on the same base makes no new commit', async () => {
    const writer = new LocalBranchWriter({ dir: join(repo, 'config') });
    const first = await writer.write(proposal());
    const before = checkout();
    const second = await writer.write(proposal());
    expect(second).toEqual({ ...first, outcome: 'unchanged' });
    expect(git('rev-list', '--count', 'consul-gitops/strict/default/default/orders')).toBe('2');
    expect(checkout()).toEqual(before);
  });

  it('puts a new commit on top of the new base when the default branch moved', async () => {
    const writer = new LocalBranchWriter({ dir: join(repo, 'config') });
    const first = await writer.write(proposal());
    // Someone merges an unrelated change into main (through a worktree-free commit).
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo, input: 'Kind = "mesh"\n', encoding: 'utf8' }).trim();
    const idx = join(repo, '..', `${repo.split('/').pop()}-idx`);
    const env = {
      ...process.env,
      GIT_INDEX_FILE: idx,
      GIT_AUTHOR_NAME: 'dev',
      GIT_AUTHOR_EMAIL: 'd@e.test',
      GIT_COMMITTER_NAME: 'dev',
      GIT_COMMITTER_EMAIL: 'd@e.test',
    };
    execFileSync('git', ['read-tree', 'main'], { cwd: repo, env });
    execFileSync('git', ['update-index', '--add', '--cacheinfo', `100644,${blob},config/mesh.hcl`], { cwd: repo, env });
    const tree = execFileSync('git', ['write-tree'], { cwd: repo, env, encoding: 'utf8' }).trim();
    const moved = execFileSync('git', ['commit-tree', tree, '-p', 'main', '-m', 'mesh'], { cwd: repo, env, encoding: 'utf8' }).trim();
    rmSync(idx, { force: true });
    git('update-ref', 'refs/heads/main', moved);

    const before = checkout();
    const second = await writer.write(proposal());
    expect(second).toMatchObject({ ok: true, outcome: 'updated' });
    expect(second.ok && second.commit).not.toBe(first.ok && first.commit);
    const b = 'consul-gitops/strict/default/default/orders';
    expect(git('rev-parse', `${b}^`)).toBe(moved);
    expect(git('show', `${b}:config/mesh.hcl`)).toBe('Kind = "mesh"');
    expect(git('diff', '--name-only', 'main', b)).toBe('config/orders.hcl');
    expect(checkout()).toEqual(before);
  });

  it('refuses a proposal made from a file that differs from the base, and paths leaving the directory', async () => {
    const writer = new LocalBranchWriter({ dir: join(repo, 'config') });
    const p = proposal();
    const stale = await writer.write({ ...p, changes: [{ ...p.changes[0], before: ORDERS + '# local edit\n' }] });
    expect(stale).toMatchObject({ ok: false, reason: expect.stringContaining('differs from the file the proposal was made from') });
    const escape = await writer.write({ ...p, changes: [{ path: '../README.md', after: 'pwned\n' }] });
    expect(escape).toMatchObject({ ok: false, reason: expect.stringContaining('leaves the directory') });
    const dotgit = await writer.write({ ...p, changes: [{ path: '.git/hooks/post-checkout', after: 'pwned\n' }] });
    expect(dotgit.ok).toBe(false);
    expect(git('branch', '--list', 'consul-gitops/*')).toBe('');
  });

  it('adds a new file for an inherited mode, and never moves the checked-out branch', async () => {
    const writer = new LocalBranchWriter({ dir: join(repo, 'config'), baseRef: 'main' });
    const created = await writer.write({
      branch: 'consul-gitops/strict/default/default/cart',
      message: 'mTLS: move cart to strict\n\nbody',
      changes: [{ path: 'cart.hcl', after: 'Kind = "service-defaults"\nName = "cart"\nMutualTLSMode = "strict"\n' }],
    });
    expect(created).toMatchObject({ ok: true, outcome: 'created' });
    expect(git('show', 'consul-gitops/strict/default/default/cart:config/cart.hcl')).toContain('Name = "cart"');
    const onWork = await writer.write({ branch: 'work', message: 'x', changes: [] });
    expect(onWork).toMatchObject({ ok: false, reason: expect.stringContaining('checked-out branch') });
  });
});
