// The client factory: token and GitHub App authentication against the double, octokit's retries,
// and no secret in any error (message, stack, inspect, JSON) or log line.
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../../src/adapters/github/contents-source.ts';
import { GitHubError, redactSecrets } from '../../../src/adapters/github/errors.ts';
import { createGitHubClient, GitHubConfigError, githubClientOptionsFromEnv, type GitHubLogger } from '../../../src/adapters/github/octokit.ts';
import { GitHubReporter } from '../../../src/adapters/github/reporter.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { clientFor, TOKEN } from './client.ts';

let double: GitHubDouble;
afterEach(() => double?.close());

function everythingAbout(error: unknown): string {
  const e = error as Error;
  return [e.message, e.stack, String(e), inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e), (e as GitHubError).describe?.()].join('\n');
}

function recordingLogger(): GitHubLogger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string) => void lines.push(m);
  return { lines, debug: add, info: add, warn: add, error: add };
}

describe('createGitHubClient', () => {
  it('authenticates with a token against baseUrl', async () => {
    double = await startGitHubDouble({ token: TOKEN });
    const sha = double.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\n' });
    const octokit = await clientFor(double);
    const state = await new GitHubTreeSource(octokit).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');
    expect(state.files).toHaveLength(1);
    expect(new Set(double.requests.map((r) => r.authorization))).toEqual(new Set([`token ${TOKEN}`]));
  });

  it('works with octokit’s throttling on (the production default)', async () => {
    double = await startGitHubDouble({ token: TOKEN });
    const sha = double.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\n' });
    const octokit = await createGitHubClient({ auth: { token: TOKEN }, baseUrl: `${double.url}/` });
    const state = await new GitHubTreeSource(octokit).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');
    expect(state.files).toHaveLength(1);
    expect(double.requests[0].path.startsWith('/repos/')).toBe(true);
  });

  it('keeps the token out of errors from a failing request (401 Bad credentials)', async () => {
    double = await startGitHubDouble({ token: 'the-right-token' });
    const sha = double.addCommit({ 'a.hcl': 'Kind = "mesh"\n' });
    const logger = recordingLogger();
    const octokit = await clientFor(double, { logger });

    const error = await new GitHubReporter(octokit, { target: 'dc1' })
      .commitStatus({ owner: double.owner, repo: double.repo, sha }, 'success', 'ok')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, method: 'POST', message: 'Bad credentials' });
    expect((error as GitHubError).path).toBe(`/repos/acme/mesh-config/statuses/${sha}`);
    expect((error as Error).cause).toBeUndefined();
    expect(everythingAbout(error)).not.toContain(TOKEN);
    expect(logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('redacts a token even when the server echoes it back in an error body', async () => {
    double = await startGitHubDouble({ token: TOKEN });
    const sha = double.addCommit({ 'config-entries/a.hcl': 'Kind = "mesh"\n' });
    double.fail({
      path: /\/git\/trees\//,
      status: 500,
      body: { message: `upstream said: Authorization: token ${TOKEN}`, errors: [{ message: `bad ${TOKEN}` }] },
    });
    const octokit = await clientFor(double);

    const error = await new GitHubTreeSource(octokit).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries').catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'unavailable', status: 500 });
    expect(everythingAbout(error)).not.toContain(TOKEN);
    expect((error as Error).message).toContain('[REDACTED]');
  });

  it('retries 5xx answers as octokit’s retry plugin does', async () => {
    double = await startGitHubDouble({ token: TOKEN });
    const sha = double.addCommit({ 'config-entries/a.hcl': 'Kind = "mesh"\n' });
    double.fail({ path: /\/git\/blobs\//, status: 502, times: 2 });
    const octokit = await clientFor(double, { retries: 3, retryAfterBaseValueMs: 1 });

    const state = await new GitHubTreeSource(octokit).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');

    expect(state.files).toHaveLength(1);
    expect(double.count('GET', /\/git\/blobs\//)).toBe(3);
  });

  it('does not retry a 404', async () => {
    double = await startGitHubDouble({ token: TOKEN });
    const octokit = await clientFor(double, { retries: 3, retryAfterBaseValueMs: 1 });
    const error = await octokit.rest.git.getBlob({ owner: double.owner, repo: double.repo, file_sha: 'f'.repeat(40) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'not-found', status: 404 });
    expect(double.count('GET', /\/git\/blobs\//)).toBe(1);
  });

  it('authenticates as a GitHub App installation and keeps the private key out of errors', async () => {
    double = await startGitHubDouble({ token: 'only-installation-tokens-are-valid' });
    const sha = double.addCommit({ 'config-entries/a.hcl': 'Kind = "mesh"\n' });
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const escaped = privateKey.trim().replace(/\n/g, '\\n'); // as an environment variable holds it
    const octokit = await createGitHubClient({
      auth: { appId: 12345, installationId: 42, privateKey: escaped },
      baseUrl: double.url,
      throttle: false,
      retries: 0,
    });

    const state = await new GitHubTreeSource(octokit).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');

    expect(state.files).toHaveLength(1);
    const exchange = double.requests.filter((r) => r.path === '/app/installations/42/access_tokens');
    expect(exchange).toHaveLength(1);
    expect(exchange[0].authorization).toMatch(/^bearer eyJ/i);
    const installationToken = double.installationTokens[0];
    expect(double.requests.filter((r) => r.path.startsWith('/repos/')).every((r) => r.authorization === `token ${installationToken}`)).toBe(true);

    double.fail({ path: /\/git\/blobs\//, status: 500, body: { message: `key was ${privateKey}` } });
    const error = await octokit.rest.git.getBlob({ owner: double.owner, repo: double.repo, file_sha: 'a'.repeat(40) }).catch((e: unknown) => e);
    const text = everythingAbout(error);
    expect(text).not.toContain(installationToken);
    for (const line of privateKey.split('\n').filter((l) => l.length > 20)) expect(text).not.toContain(line);
  });

  it('validates credentials without echoing them', async () => {
    await expect(createGitHubClient({ auth: { token: '  ' } })).rejects.toBeInstanceOf(GitHubConfigError);
    const bad = await createGitHubClient({ auth: { appId: 1, installationId: 2, privateKey: 'not-a-key-SECRET' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(GitHubConfigError);
    expect(everythingAbout(bad)).not.toContain('not-a-key-SECRET');
  });
});

describe('githubClientOptionsFromEnv', () => {
  it('reads a token or App credentials and GITHUB_API_URL', () => {
    expect(githubClientOptionsFromEnv({ GITHUB_TOKEN: 't', GITHUB_API_URL: 'https://ghe.example/api/v3' })).toEqual({
      baseUrl: 'https://ghe.example/api/v3',
      auth: { token: 't' },
    });
    expect(githubClientOptionsFromEnv({ GITHUB_APP_ID: '1', GITHUB_APP_INSTALLATION_ID: '2', GITHUB_APP_PRIVATE_KEY: 'k' })).toEqual({
      baseUrl: 'https://api.github.com',
      auth: { appId: '1', installationId: 2, privateKey: 'k' },
    });
    expect(() => githubClientOptionsFromEnv({ GITHUB_APP_ID: '1' })).toThrow(/GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY/);
    expect(() => githubClientOptionsFromEnv({})).toThrow(/no GitHub credentials/);
  });
});

describe('redactSecrets', () => {
  it('removes given secrets and GitHub-shaped credentials', () => {
    expect(redactSecrets('a s3cret-value b', ['s3cret-value'])).toBe('a [REDACTED] b');
    expect(redactSecrets('use ghp_abcdefghijklmnopqrstuvwxyz0123')).toBe('use [REDACTED]');
    expect(redactSecrets('Authorization: bearer abcdefghijklmnopqrstuvwxyz')).toBe('Authorization: bearer [REDACTED]');
    expect(redactSecrets('token expired')).toBe('token expired');
  });
});

describe('the double', () => {
  it('names git objects as git does', async () => {
    double = await startGitHubDouble();
    const octokit = await clientFor(double);
    const { data } = await octokit.rest.git.createBlob({ owner: double.owner, repo: double.repo, content: 'hello\n' });
    expect(data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a'); // git hash-object
    const { data: tree } = await octokit.rest.git.createTree({
      owner: double.owner,
      repo: double.repo,
      tree: [{ path: 'hello.txt', mode: '100644', type: 'blob', sha: data.sha }],
    });
    expect(tree.sha).toBe('aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7'); // git mktree
  });
});
