// The GitHub double itself: a request no endpoint serves is recorded, so tests can fail on it.
import { expect, it } from 'vitest';
import { startGitHubDouble } from '../../support/github-double.ts';

it('records requests for endpoints the double does not serve', async () => {
  const github = await startGitHubDouble({ owner: 'acme', repo: 'mesh' });
  try {
    const res = await fetch(`${github.url}/repos/acme/mesh/check-runs`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(github.unexpected).toEqual(['POST /repos/acme/mesh/check-runs']);
    // A known endpoint asking for a missing resource is an ordinary 404, not unexpected.
    await fetch(`${github.url}/repos/acme/mesh/git/blobs/${'0'.repeat(40)}`);
    expect(github.unexpected).toHaveLength(1);
  } finally {
    await github.close();
  }
});
