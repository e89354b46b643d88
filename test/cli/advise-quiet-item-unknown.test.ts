// An `advisor.expectNoInboundTraffic` item that names no service Git or Consul knows marks nothing:
// a typo (`ordrs`) would silently leave the rule on. Through main() against the dev server, the
// item is named in a warning by `advise` (text and --json) and by the posture issue (--open-prs),
// while a correctly spelled item raises none.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${server.url}/v1/catalog/register`, {
    method: 'PUT',
    body: JSON.stringify({
      Node: 'n1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: 'batch-sidecar-proxy', Port: 20000, Proxy: { DestinationServiceName: 'batch' } },
    }),
  });
  expect(res.status).toBe(200);
});
afterAll(() => server.close());
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const NOW = new Date('2026-11-25T12:00:00Z');
const tree = (quiet: string) => ({
  'consul-gitops.yaml': `targets:\n  - name: default\n    advisor:\n      expectNoInboundTraffic: ${quiet}\n`,
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
});
const traces = { orders: [{ plaintextPerMinute: 0, handshakesPerMinute: 0 }], batch: [{ plaintextPerMinute: 0, handshakesPerMinute: 0 }] };
const WARNING = 'advisor.expectNoInboundTraffic item "ordrs" names no service Git or Consul knows';

describe('advisor.expectNoInboundTraffic items that name no service', () => {
  it('advise warns in text and --json, naming the item; known items (Git, or a sidecar only) raise nothing', async () => {
    const text = await runAdvise(server.url, [], { cwd: tempTree(tree('[ordrs, batch]')), traces, now: NOW });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Warning: ${WARNING}`);
    expect(text.stdout).not.toContain('"batch"');
    // The typo marked nothing: orders still needs mTLS traffic.
    expect(text.stdout).toMatch(/orders +no-mtls-traffic-yet/);

    const json = await runAdvise(server.url, ['--json'], { cwd: tempTree(tree('[ordrs, batch]')), traces, now: NOW });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).warnings).toEqual([{ item: 'ordrs', warning: expect.stringContaining(WARNING) }]);

    const clean = await runAdvise(server.url, ['--json'], { cwd: tempTree(tree('[orders, batch]')), traces, now: NOW });
    expect(JSON.parse(clean.stdout).warnings).toBeUndefined();
  });

  it('the posture issue carries the warning', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    const files = tree('[ordrs]');
    github.addCommit(files);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(server.url, ['--open-prs'], { cwd: tempTree(files), traces, env, now: NOW });
    expect(run.code).toBe(0);
    expect(github.issues.map((i) => i.title)).toEqual(['mTLS posture: default']);
    expect(github.issues[0].body).toContain(WARNING);
  });
});
