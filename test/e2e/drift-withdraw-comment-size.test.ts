// The comment a drift PR is closed with lists the entries Consul still differs in that no file
// change can express. With hundreds of them (entries consul-gitops applied whose files are gone
// while pruning is off), that list passed GitHub's 65,536 characters: GitHub answered 422, the
// comment was not written and the PR stayed open. It is now cut, saying where the whole list is.
// Schedule → reconcile Lambdas, the dev server, the GitHub double (which enforces the limit).
import { afterEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n';
const TARGETS = 'targets:\n  - name: dc1\n    dir: config-entries\n    driftMode: propose\n';
const BRANCH = 'consul-gitops/drift/dc1';
const ORPHANS = 600;

let h: ServerlessHarness;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

/** An entry as apply left it (with the ownership markers). */
async function write(entry: Record<string, unknown>, source: string) {
  const res = await fetch(`${h.consul.url}/v1/config`, {
    method: 'PUT',
    body: JSON.stringify({ ...entry, Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': source } }),
  });
  expect(await res.text()).toBe('true');
}

describe('the drift PR closed with hundreds of entries no file change can express', () => {
  it('is closed with a comment that fits, saying the list was cut and where it is whole', async () => {
    h = await startServerlessHarness({ env: { TARGETS_CONFIG: TARGETS } });
    h.github.addCommit({ 'config-entries/api.hcl': API }, 'api', { branch: 'master' });
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' }, 'config-entries/api.hcl');
    for (let i = 0; i < ORPHANS; i++) {
      const name = `orphaned-service-with-a-long-descriptive-name-${String(i).padStart(4, '0')}`;
      await write({ Kind: 'service-defaults', Name: name, Protocol: 'http' }, `config-entries/${name}.hcl`);
    }
    await h.tick('evt-1');
    const pr = h.github.pulls.find((p) => p.head === BRANCH);
    expect(pr?.state).toBe('open');

    // api back as Git says: only the orphans differ now, and no file change expresses them.
    await write({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }, 'config-entries/api.hcl');
    await h.tick('evt-2').catch(() => undefined);
    expect(pr!.state).toBe('closed');
    const comment = h.github.comments.filter((c) => c.issue_number === pr!.number).at(-1)?.body ?? '';
    expect([...comment].length).toBeLessThanOrEqual(65_536);
    expect(comment).toContain('Consul still differs from Git, but');
    expect(comment).toContain('orphaned-service-with-a-long-descriptive-name-0000');
    expect(comment).toContain('cut here:');
    expect(comment).toContain('`consul-gitops plan` lists every entry');
  }, 60_000);
});
