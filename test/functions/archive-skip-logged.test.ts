// The GitHub source reads a commit's files from the repository archive, and falls back to one blob
// request per file when the archive is too large, failed or was refused. Why it fell back was kept
// only in memory: an operator whose reads cost a request per file never learnt why. The reconcile
// Lambda now logs it at info, with the commit and how many blob requests followed, naming no secret.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { pushOf } from '../support/github-events.ts';

let h: ServerlessHarness;
beforeEach(async () => {
  h = await startServerlessHarness();
});
afterEach(async () => {
  await h.close();
});

const files = Object.fromEntries(
  ['api', 'web', 'db', 'cache', 'auth'].map((n) => [`config-entries/${n}.hcl`, `Kind = "service-defaults"\nName = "${n}"\nProtocol = "http"\n`]),
);

describe('the archive source falls back to blob requests', () => {
  it('logs why at info, with the commit and the blob requests it cost', async () => {
    h.github.fail({ method: 'GET', path: /\/tarball\//, status: 502, body: { message: 'Server Error' } });
    const sha = h.github.addCommit(files, 'five services', { branch: 'master' });
    await h.deliver('push', pushOf(sha));
    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const skip = lines.find((l) => l.message === 'Repository archive not used: files read one request each');
    expect(skip).toMatchObject({ level: 'INFO', commit: sha, blobRequests: 5 });
    expect(String(skip?.reason)).toContain('Server Error');
    expect(lines.find((l) => l.message === 'Reconcile finished')).toMatchObject({ outcome: 'applied', ok: true });
    expect(h.logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });
});
