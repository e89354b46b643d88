// GitHubPullRequestOpener against the double: git data API flow, idempotency, updates.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubPullRequestOpener, NoChangesError } from '../../../src/adapters/github/pull-requests.ts';
import type { FileChangePullRequestRequest } from '../../../src/app/ports/github.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { clientFor, TOKEN } from './client.ts';

const PERMISSIVE = 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permissive"\n';
const STRICT = 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "strict"\n';

let double: GitHubDouble;
afterEach(() => double?.close());

async function setup() {
  double = await startGitHubDouble({ token: TOKEN });
  const base = double.addCommit({ 'config-entries/api.hcl': PERMISSIVE, 'config-entries/mesh.hcl': 'Kind = "mesh"\n', 'README.md': '# mesh\n' });
  const opener = new GitHubPullRequestOpener(await clientFor(double));
  const request: FileChangePullRequestRequest = {
    owner: double.owner,
    repo: double.repo,
    base: 'main',
    branch: 'consul-gitops/strict-api',
    title: 'Make api strict',
    body: 'No plaintext traffic to api for 7 days.',
    files: [{ path: 'config-entries/api.hcl', content: STRICT }],
    labels: ['consul-gitops', 'mtls'],
  };
  return { opener, request, base };
}

describe('ensureFileChangePullRequest', () => {
  it('opens a pull request with one commit on top of base changing exactly the files', async () => {
    const { opener, request, base } = await setup();

    const result = await opener.ensureFileChangePullRequest(request);

    expect(result).toMatchObject({ number: 1, created: true, url: 'https://github.example/acme/mesh-config/pull/1' });
    expect(double.pulls).toEqual([
      {
        number: 1,
        title: 'Make api strict',
        body: 'No plaintext traffic to api for 7 days.',
        state: 'open',
        head: 'consul-gitops/strict-api',
        base: 'main',
        labels: ['consul-gitops', 'mtls'],
      },
    ]);
    const head = double.refSha('consul-gitops/strict-api')!;
    expect(head).toBe(result.headSha);
    expect(double.commitOf(head)).toMatchObject({ parents: [base], message: 'Make api strict' });
    expect(double.filesAt(head)).toEqual({ ...double.filesAt(base), 'config-entries/api.hcl': STRICT });
    // refs go out as heads%2F<branch>; the double decodes them.
    expect(double.requests.some((r) => r.rawPath.endsWith('/git/ref/heads%2Fmain'))).toBe(true);
    expect(double.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, ':sha')}`)).toEqual([
      'GET /repos/acme/mesh-config/git/ref/heads/main',
      'GET /repos/acme/mesh-config/git/commits/:sha',
      'POST /repos/acme/mesh-config/git/blobs',
      'POST /repos/acme/mesh-config/git/trees',
      'GET /repos/acme/mesh-config/git/ref/heads/consul-gitops/strict-api',
      'POST /repos/acme/mesh-config/git/commits',
      'POST /repos/acme/mesh-config/git/refs',
      'GET /repos/acme/mesh-config/pulls',
      'POST /repos/acme/mesh-config/pulls',
      'POST /repos/acme/mesh-config/issues/1/labels',
    ]);
  });

  it('is idempotent: a second run opens no second pull request and makes no new commit', async () => {
    const { opener, request } = await setup();
    const first = await opener.ensureFileChangePullRequest(request);
    const writesBefore = double.requests.filter((r) => r.method !== 'GET').length;

    const second = await opener.ensureFileChangePullRequest(request);

    expect(second).toEqual({ ...first, created: false });
    expect(double.pulls).toHaveLength(1);
    expect(double.count('POST', /\/git\/commits$/)).toBe(1);
    expect(double.count('PATCH', /\/git\/refs\//)).toBe(0);
    expect(double.count('POST', /\/pulls$/)).toBe(1);
    // Blob and tree creation are content-addressed and repeat harmlessly; nothing else is written.
    const newWrites = double.requests
      .filter((r) => r.method !== 'GET')
      .slice(writesBefore)
      .map((r) => r.path.replace(/^\/repos\/acme\/mesh-config/, ''));
    expect(newWrites).toEqual(['/git/blobs', '/git/trees']);
  });

  it('moves the branch and updates title and body when the proposal changes or base moves', async () => {
    const { opener, request } = await setup();
    const first = await opener.ensureFileChangePullRequest(request);
    const newBase = double.addCommit({ ...double.filesAt('main'), 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\n' }, 'unrelated change');

    const second = await opener.ensureFileChangePullRequest({
      ...request,
      title: 'Make api and web strict',
      body: 'Both quiet.',
      files: [
        ...request.files,
        { path: 'config-entries/web.hcl', content: 'Kind = "service-defaults"\nName = "web"\nMutualTLSMode = "strict"\n' },
        { path: 'README.md', content: null },
      ],
    });

    expect(second).toMatchObject({ number: first.number, created: false });
    expect(double.pulls).toHaveLength(1);
    expect(double.pulls[0]).toMatchObject({ title: 'Make api and web strict', body: 'Both quiet.', labels: ['consul-gitops', 'mtls'] });
    const head = double.refSha('consul-gitops/strict-api')!;
    expect(double.commitOf(head)!.parents).toEqual([newBase]);
    const files = double.filesAt(head);
    expect(files['config-entries/web.hcl']).toContain('strict');
    expect(files['README.md']).toBeUndefined();
    expect(double.count('PATCH', /\/git\/refs\/heads\/consul-gitops\/strict-api$/)).toBe(1);
    expect(double.count('POST', /\/issues\/\d+\/labels$/)).toBe(1);
  });

  it('says so when base already has the content, and checks its input', async () => {
    const { opener, request } = await setup();
    await expect(opener.ensureFileChangePullRequest({ ...request, files: [{ path: 'config-entries/api.hcl', content: PERMISSIVE }] })).rejects.toBeInstanceOf(
      NoChangesError,
    );
    await expect(opener.ensureFileChangePullRequest({ ...request, branch: 'main' })).rejects.toThrow(/cannot be the same/);
    await expect(opener.ensureFileChangePullRequest({ ...request, files: [{ path: '../x', content: 'x' }] })).rejects.toThrow(/invalid path/);
    await expect(opener.ensureFileChangePullRequest({ ...request, base: 'nope' })).rejects.toThrow(/base branch nope does not exist/);
    expect(double.pulls).toHaveLength(0);
  });
});
