// A GitHub App client's secrets (its private key, each installation token it is issued) join the
// process's known secrets: a log line made by the functions' logger masks them, and text the client
// publishes on GitHub (a comment quoting an error) carries none of them.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../../src/adapters/github/contents-source.ts';
import { createGitHubClient } from '../../../src/adapters/github/octokit.ts';
import { GitHubReporter } from '../../../src/adapters/github/reporter.ts';
import { createLog } from '../../../src/runtime/logger.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';

let double: GitHubDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('a GitHub App client and the known secrets', () => {
  it('masks the installation token and the key in log lines and in what it publishes', async () => {
    double = await startGitHubDouble({ token: 'only-installation-tokens-are-valid' });
    const sha = double.addCommit({ 'config-entries/a.hcl': 'Kind = "mesh"\n' });
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const octokit = await createGitHubClient({
      auth: { appId: 12345, installationId: 42, privateKey: privateKey.trim().replace(/\n/g, '\\n') },
      baseUrl: double.url,
      throttle: false,
      retries: 0,
    });
    await new GitHubTreeSource(octokit).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');
    const token = double.installationTokens[0];
    expect(token).toBeDefined();
    const keyLine = privateKey.split('\n')[3];

    const lines: string[] = [];
    createLog({ sink: (l) => lines.push(l) })('error', `echoed ${token} and ${keyLine}`, { url: `?t=${encodeURIComponent(token)}` });
    expect(lines[0]).not.toContain(token);
    expect(lines[0]).not.toContain(keyLine);

    await new GitHubReporter(octokit, { target: 'dc1' }).upsertIssue(
      { owner: double.owner, repo: double.repo },
      `drift check failed: ${token}`,
      `the proxy said "${token}" and quoted ${keyLine}`,
      'drift-dc1',
      true,
    );
    const published = double.issues.map((i) => `${i.title}\n${i.body}`).join('\n');
    expect(published).toContain('the proxy said');
    expect(published).not.toContain(token);
    expect(published).not.toContain(keyLine);
  });
});
