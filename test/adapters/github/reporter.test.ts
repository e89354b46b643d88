// GitHubReporter against the double: commit statuses, the PR comment edited in place, and the
// drift issue's life cycle (created, updated, closed).
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubReporter, truncateDescription } from '../../../src/adapters/github/reporter.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { clientFor, TOKEN } from './client.ts';

let double: GitHubDouble;
afterEach(() => double?.close());

async function setup() {
  double = await startGitHubDouble({ token: TOKEN });
  const octokit = await clientFor(double);
  const repo = { owner: double.owner, repo: double.repo };
  return { reporter: new GitHubReporter(octokit, { target: 'dc1' }), repo };
}

describe('commit statuses', () => {
  it('posts a status with context consul-gitops/<target>', async () => {
    const { reporter, repo } = await setup();
    const sha = double.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\n' });

    await reporter.commitStatus({ ...repo, sha }, 'pending', 'planning', 'https://ci.example/run/1');
    await reporter.commitStatus({ ...repo, sha }, 'success', 'Plan: 1 to create, 0 to update, 0 to delete.');

    expect(double.statuses).toEqual([
      { sha, state: 'pending', context: 'consul-gitops/dc1', description: 'planning', target_url: 'https://ci.example/run/1' },
      { sha, state: 'success', context: 'consul-gitops/dc1', description: 'Plan: 1 to create, 0 to update, 0 to delete.', target_url: undefined },
    ]);
  });

  it('cuts descriptions to GitHub’s 140 characters (the double refuses longer ones, as GitHub does)', async () => {
    const { reporter, repo } = await setup();
    const sha = double.addCommit({ 'a.hcl': 'Kind = "mesh"\n' });
    const long = `apply failed:\n${'service-defaults/api conflict; '.repeat(10)}`;

    await reporter.commitStatus({ ...repo, sha }, 'failure', long);

    const description = double.statuses[0].description!;
    expect(description).toHaveLength(140);
    expect(description.endsWith('…')).toBe(true);
    expect(description).not.toContain('\n');
  });

  it('never splits a surrogate pair when cutting', () => {
    const cut = truncateDescription(`${'x'.repeat(138)}😀😀😀`);
    expect(cut.length).toBeLessThanOrEqual(140);
    expect(cut).toBe(`${'x'.repeat(138)}…`);
    expect(truncateDescription('  short  ')).toBe('short');
  });
});

describe('pull request comment', () => {
  it('is created once and then edited in place: one comment after two runs', async () => {
    const { reporter, repo } = await setup();
    double.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\n' });
    const pr = double.addPullRequest({ head: 'feature' });

    const first = await reporter.upsertPullRequestComment(repo, pr, 'Plan: 1 to create, 0 to update, 0 to delete.', 'plan/dc1');
    const second = await reporter.upsertPullRequestComment(repo, pr, 'Plan: 2 to create, 0 to update, 0 to delete.', 'plan/dc1');

    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(double.comments).toHaveLength(1);
    expect(double.comments[0].body).toBe('<!-- consul-gitops:plan/dc1 -->\nPlan: 2 to create, 0 to update, 0 to delete.');
    expect(double.count('PATCH', /\/issues\/comments\/\d+$/)).toBe(1);
  });

  it('does not write when nothing changed', async () => {
    const { reporter, repo } = await setup();
    double.addCommit({ 'a.txt': 'a' });
    const pr = double.addPullRequest({ head: 'feature' });
    await reporter.upsertPullRequestComment(repo, pr, 'same', 'plan');
    await reporter.upsertPullRequestComment(repo, pr, 'same', 'plan');
    expect(double.count('PATCH', /comments/)).toBe(0);
    expect(double.count('POST', /comments/)).toBe(1);
  });

  it('finds its comment past the first page, and keeps markers apart (plan vs plan-dc2)', async () => {
    const { reporter, repo } = await setup();
    double.addCommit({ 'a.txt': 'a' });
    const pr = double.addPullRequest({ head: 'feature' });
    const other = await reporter.upsertPullRequestComment(repo, pr, 'dc2 plan', 'plan-dc2');
    for (let i = 0; i < 150; i++)
      double.comments.push({
        id: 5000 + i,
        issue_number: pr,
        body: `human comment ${i}`,
        created_at: '2026-01-02T00:00:00Z',
        updated_at: '2026-01-02T00:00:00Z',
      });
    const mine = await reporter.upsertPullRequestComment(repo, pr, 'v1', 'plan');
    expect(mine.created).toBe(true);

    const again = await reporter.upsertPullRequestComment(repo, pr, 'v2', 'plan');

    expect(again).toEqual({ id: mine.id, created: false });
    expect(double.comments.filter((c) => c.body.includes('consul-gitops:plan -->'))).toHaveLength(1);
    expect(double.comments.find((c) => c.id === other.id)!.body).toContain('dc2 plan');
    // 152 comments at 100 a page: two list requests per run.
    const lists = double.requests.filter((r) => r.method === 'GET' && /\/issues\/\d+\/comments$/.test(r.path));
    expect(lists.at(-1)!.query).toMatchObject({ page: '2', per_page: '100' });
  });

  it('refuses a marker that could break out of the HTML comment', async () => {
    const { reporter, repo } = await setup();
    await expect(reporter.upsertPullRequestComment(repo, 1, 'x', 'a -->')).rejects.toThrow(/invalid marker/);
  });
});

describe('drift issue', () => {
  it('is created, updated in place, closed when drift is gone, and not reopened by a clean run', async () => {
    const { reporter, repo } = await setup();
    double.addCommit({ 'a.txt': 'a' });

    const created = await reporter.upsertIssue(repo, 'Drift in dc1', '1 entry drifted', 'drift/dc1', true);
    const updated = await reporter.upsertIssue(repo, 'Drift in dc1', '2 entries drifted', 'drift/dc1', true);
    expect(created).toEqual({ number: created!.number, created: true });
    expect(updated).toEqual({ number: created!.number, created: false });
    expect(double.issues).toHaveLength(1);
    expect(double.issues[0]).toMatchObject({ state: 'open', labels: ['consul-gitops-drift'], body: '<!-- consul-gitops:drift/dc1 -->\n2 entries drifted' });
    expect(double.labels.has('consul-gitops-drift')).toBe(true);

    const closed = await reporter.upsertIssue(repo, 'Drift in dc1', 'No drift since 2026-01-01.', 'drift/dc1', false);
    expect(closed).toEqual({ number: created!.number, created: false });
    expect(double.issues[0]).toMatchObject({ state: 'closed', body: '<!-- consul-gitops:drift/dc1 -->\nNo drift since 2026-01-01.' });

    expect(await reporter.upsertIssue(repo, 'Drift in dc1', 'still clean', 'drift/dc1', false)).toBeUndefined();
    expect(double.issues).toHaveLength(1);

    const reopened = await reporter.upsertIssue(repo, 'Drift in dc1', 'drift again', 'drift/dc1', true);
    expect(reopened!.created).toBe(true);
    expect(double.issues.filter((i) => i.state === 'open')).toHaveLength(1);
  });

  it('ignores pull requests and other markers carrying the label, across pages', async () => {
    const { reporter, repo } = await setup();
    double.addCommit({ 'a.txt': 'a' });
    const pr = double.addPullRequest({ head: 'feature', body: '<!-- consul-gitops:drift/dc1 -->' });
    double.pulls.find((p) => p.number === pr)!.labels.push('consul-gitops-drift');
    for (let i = 0; i < 120; i++)
      double.issues.push({
        number: 100 + i,
        title: `other ${i}`,
        body: `<!-- consul-gitops:drift/other-${i} -->\nx`,
        state: 'open',
        labels: ['consul-gitops-drift'],
        created_at: '2026-01-02T00:00:00Z',
      });
    const mine = await reporter.upsertIssue(repo, 'Drift in dc1', 'v1', 'drift/dc1', true);
    expect(mine!.created).toBe(true);

    const again = await reporter.upsertIssue(repo, 'Drift in dc1 (2)', 'v2', 'drift/dc1', true);

    expect(again).toEqual({ number: mine!.number, created: false });
    expect(double.issues.find((i) => i.number === mine!.number)!.title).toBe('Drift in dc1 (2)');
    expect(double.pulls.find((p) => p.number === pr)!.body).toBe('<!-- consul-gitops:drift/dc1 -->');
    const lists = double.requests.filter((r) => r.method === 'GET' && /\/issues$/.test(r.path));
    expect(lists.at(-1)!.query).toMatchObject({ state: 'open', labels: 'consul-gitops-drift', per_page: '100', page: '2' });
  });
});
