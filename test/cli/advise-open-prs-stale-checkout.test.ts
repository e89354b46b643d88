// A strict PR is made from the checkout `advise --open-prs` reads, but committed on top of the
// default branch as GitHub holds it now: when the service's file changed there since (a merged PR
// the checkout has not pulled), writing the checkout's flipped copy would silently undo that change
// in a PR whose body shows a one-line diff. Through main() against the dev server and the GitHub
// double: the PR is not written, the run says why and exits 1; a file unchanged on the default
// branch is proposed as before.
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
  for (const s of ['orders', 'billing', 'cart']) await registerSidecar(server.url, s, {}, { id: `${s}-sidecar-proxy` });
});
afterAll(() => server.close());
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const NOW = new Date('2026-11-25T12:00:00Z');
const CHECKOUT = {
  'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "permissive"\n',
};
/** The default branch since: someone's merged PR set orders' protocol, and someone added cart's own file. */
const MAIN = {
  ...CHECKOUT,
  'config-entries/orders.hcl': `${CHECKOUT['config-entries/orders.hcl']}Protocol = "http"\n`,
  'config-entries/cart.hcl': 'Kind = "service-defaults"\nName = "cart"\nProtocol = "grpc"\n',
};
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };

describe('advise --open-prs from a checkout behind the default branch', () => {
  it('writes no PR that would undo the default branch’s change to the file, and says so', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(MAIN);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(server.url, ['--open-prs'], {
      cwd: tempTree(CHECKOUT),
      traces: { orders: [quiet], billing: [quiet], cart: [quiet] },
      env,
      now: NOW,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'config-entries/orders.hcl on main is not the file this proposal was made from (it changed since): update the checkout (git pull) and run again',
    );
    expect(run.stdout).toContain(
      'config-entries/cart.hcl on main is not the file this proposal was made from (it exists there now): update the checkout (git pull) and run again',
    );
    // billing's file is the same on main: proposed, one line changed.
    const open = github.pulls.filter((p) => p.state === 'open');
    expect(open.map((p) => p.head)).toEqual(['consul-gitops/strict/default/default/billing']);
    expect(github.filesAt('consul-gitops/strict/default/default/billing')['config-entries/billing.hcl']).toBe(
      'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "strict"\n',
    );
    expect(github.filesAt('main')['config-entries/orders.hcl']).toBe(MAIN['config-entries/orders.hcl']);
    expect(github.unexpected).toEqual([]);
  });
});
