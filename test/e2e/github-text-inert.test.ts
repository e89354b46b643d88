// What consul-gitops writes to GitHub must not act on GitHub: a file or entry name holding `@octocat`
// or `#12` mentioned (notified) that person and linked issue 12 from serve's plan comment, and a
// commit status carried a name's bidirectional override raw. Names are now written with a zero-width
// space after `@` and `#` (`@&#8203;octocat`, the form Renovate uses), which renders as the name
// reads and mentions nobody; a status shows controls escaped, `\u202e`.
import { afterEach, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { GitHubReporter } from '../../src/adapters/github/reporter.ts';
import { createGitHubClient } from '../../src/adapters/github/octokit.ts';

/** What GitHub would turn into a mention or an issue link in rendered text (outside code). */
const LIVE_REFERENCE = /(^|[^\w`&])(@[A-Za-z0-9]|#\d|GH-\d)/;

describe("serve's plan comment", () => {
  let h: ServeHarness | undefined;
  afterEach(async () => {
    expect(h?.github.unexpected).toEqual([]);
    await h?.close();
  });

  it('shows a file name holding @octocat, #12 and GH-7 as it reads, mentioning and linking nothing', async () => {
    h = await startServeHarness();
    h.github.addCommit({ 'config-entries/README.md': 'mesh\n' }, 'base', { branch: 'master' });
    const { status } = await h.openPullRequest('hostile', {
      'config-entries/@octocat #12 GH-7.hcl': 'Kind = "service-defaults"\nName = "web"\nBogus = 1\n',
    });
    expect(status).toBe(202);
    const body = h.github.comments[0].body;
    const line = body.split('\n').find((l) => l.startsWith('- ['))!;
    expect(line).toMatch(/^- \[config-entries\/@&#8203;octocat #&#8203;12 GH-&#8203;7\.hcl:3:1\]\(/);
    // The link target is a URL, percent-encoded, never text GitHub scans.
    const visible = line.replace(/\]\([^)]*\)/, ']');
    expect(visible).not.toMatch(LIVE_REFERENCE);
  });
});

describe('a commit status', () => {
  let double: GitHubDouble;
  afterEach(() => double?.close());

  it('shows a bidirectional override and other controls in a name escaped', async () => {
    double = await startGitHubDouble({ token: 'ghp_statusTOKEN0123456789' });
    const octokit = await createGitHubClient({ auth: { token: 'ghp_statusTOKEN0123456789' }, baseUrl: double.url, throttle: false, retries: 0 });
    const sha = double.addCommit({ 'a.hcl': 'Kind = "mesh"\n' });
    await new GitHubReporter(octokit, { target: 'dc1' }).commitStatus(
      { owner: double.owner, repo: double.repo, sha },
      'failure',
      '1 applied, 1 failed. Not applied: service-defaults/api\u202egnp.exe (failed), web\u0007\u2066x (failed).',
    );
    const description = double.statuses[0].description!;
    expect(description).toContain('service-defaults/api\\u202egnp.exe (failed), web\\u0007\\u2066x (failed)');
    expect([...description].filter((c) => c.charCodeAt(0) < 0x20 || /[\u202a-\u202e\u2066-\u2069]/.test(c))).toEqual([]);
  });
});
