// An open strict PR whose service is no longer ready, without plaintext back (the data stopped
// covering the window, a new sidecar no source reads, no mTLS use): its body still said
// "Verdict: ready-for-strict" and a reviewer could merge it on evidence the advisor no longer
// stands by. Through main() (`advise --open-prs`) against the dev server and the GitHub double: the
// PR stays open (a stats outage must not close it) but its body opens with a warning naming the
// current verdict, written once; when the service is ready again, the warning is gone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await registerSidecar(server.url, 'orders');
});
afterAll(() => server.close());
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const NOW = new Date('2026-11-25T12:00:00Z');
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' };
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };

describe('advise --open-prs, an open strict PR whose service is no longer ready', () => {
  it('warns in the body that it is not ready now (once), and drops the warning when it is ready again', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const advise = async (traces: Record<string, (typeof quiet)[]>) => {
      const run = await runAdvise(server.url, ['--open-prs'], { cwd: tempTree(TREE), traces, env, now: NOW });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return run;
    };
    const pr = () => github!.pulls.find((p) => p.head === 'consul-gitops/strict/default/default/orders')!;

    await advise({ orders: [quiet] });
    expect(pr().state).toBe('open');
    expect(pr().body).not.toContain('Not ready for strict mTLS now');
    const ready = pr().body;

    // No source reports orders' sidecar any more: insufficient-data.
    await advise({});
    expect(pr().state).toBe('open');
    expect(pr().body).toMatch(
      /^<!-- consul-gitops:not-ready -->\n> \[!CAUTION\]\n> \*\*Not ready for strict mTLS now\*\*: the latest run's verdict is \*\*insufficient-data\*\*/,
    );
    expect(pr().body).toContain(ready.trimEnd());
    const writes = github.count('PATCH', /\/pulls\/\d+$/);
    await advise({});
    expect(github.count('PATCH', /\/pulls\/\d+$/)).toBe(writes);

    await advise({ orders: [quiet] });
    expect(pr().state).toBe('open');
    expect(pr().body).not.toContain('consul-gitops:not-ready');
    expect(pr().body).toContain('Verdict: **ready-for-strict**');
    expect(github.unexpected).toEqual([]);
  });
});
