// The strict PR's body is the evidence a reviewer merges on: its numbers must be the ones the
// decision used. One `advise --json --open-prs` run through main(), Envoy source on simulated
// sidecars registered in the dev server (history built by a run a minute for the window), one
// sidecar restarting mid-window (its counters drop to 0), the PR on the GitHub double: the window,
// each instance's first and last sample, restarts and mTLS handshakes, and the totals read from the
// PR body equal `--json`'s evidence for the same run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { tempTree } from '../support/run-cli.ts';
import { TOKEN } from '../adapters/github/client.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      window: 10m\n      stats: { envoy: { interval: 1m } }\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

let server: DevServer;
let sidecars: SimulatedSidecars;
let github: GitHubDouble;
let clock = T0;
beforeEach(async () => {
  clock = T0;
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  sidecars = await startSimulatedSidecars(
    [
      { service: 'billing', instance: 'billing-5c4b-aaaaa', protocol: 'http', mtls: { handshakesPerSecond: 2 }, restartsAtMs: [5 * MINUTE + 30_000] },
      { service: 'billing', instance: 'billing-5c4b-bbbbb', protocol: 'http', mtls: { handshakesPerSecond: 1 } },
    ],
    { now: () => clock },
  );
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterEach(async () => {
  await github.close();
  await sidecars.close();
  await server.close();
});

async function advise(args: string[], cwd: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
  const code = await main(
    ['advise', '--consul', server.url, ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => new Date(clock), env, github: { throttle: false, retries: 0 } },
  );
  expect(code).toBe(0);
  return stdout;
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const num = (n: number) => n.toLocaleString('en-US');

interface Growth {
  increase: number;
}
interface Instance {
  instance: string;
  firstSampleAt: string;
  lastSampleAt: string;
  restarts: number;
  mtls: { handshakes?: Growth; httpRequests?: Growth };
}

type Evidence = {
  window: { start: string; end: string };
  instances: Instance[];
  restarts: number;
  mtls: { handshakes: number; httpRequests: number; rxBytes: number };
  permissive: { connections: number; rxBytes: number; txBytes: number };
};

/** The PR body says what `--json` says of the same run. */
function expectBodyOf(body: string, e: Evidence): void {
  expect(body).toContain(`from ${when(e.window.start)} to ${when(e.window.end)}. Verdict: **ready-for-strict**.`);
  const rows = body.split('\n').filter((l) => l.startsWith('| `billing-'));
  expect(rows).toHaveLength(e.instances.length);
  for (const i of e.instances) {
    const cells = rows
      .find((r) => r.startsWith(`| \`${i.instance}\``))!
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    expect(cells[1]).toBe(when(i.firstSampleAt));
    expect(cells[2]).toBe(when(i.lastSampleAt));
    expect(cells[6]).toBe(String(i.restarts));
    expect(cells[7]).toBe(num(i.mtls.handshakes?.increase ?? 0));
  }
  expect(body).toContain(
    `- Plaintext (permissive listener): ${num(e.permissive.connections)} connections, ${num(e.permissive.rxBytes)} bytes in, ${num(e.permissive.txBytes)} bytes out`,
  );
  expect(body).toContain(`- mTLS: ${num(e.mtls.handshakes)} handshakes, ${num(e.mtls.httpRequests)} HTTP requests, ${num(e.mtls.rxBytes)} bytes in`);
  expect(body).toContain(`- Envoy restarts: ${e.restarts}`);
}

describe('the strict PR body and the decision of the same run', () => {
  it('carry the same window, instances, restarts and mTLS counts, also once the restart has left the window', async () => {
    const cwd = tempTree(TREE);
    for (let i = 0; i < 11; i++) {
      clock = T0 + i * MINUTE;
      await advise(['--json'], cwd);
    }
    const run = async (minute: number): Promise<{ e: Evidence; body: string }> => {
      clock = T0 + minute * MINUTE;
      const json = JSON.parse(await advise(['--json', '--open-prs'], cwd));
      const billing = json.services.find((s: { service: string }) => s.service === 'billing');
      expect(billing.verdict).toBe('ready-for-strict');
      const pr = github.pulls.find((p) => p.head === 'consul-gitops/strict/default/default/billing');
      return { e: billing.evidence as Evidence, body: pr?.body ?? '' };
    };
    const first = await run(11);
    expect(first.e.restarts).toBe(1);
    // The handshakes of the instance that restarted count before and after its counters dropped.
    expect(first.e.instances.find((i) => i.restarts === 1)!.mtls.handshakes!.increase).toBeGreaterThan(2 * 9 * 60);
    expectBodyOf(first.body, first.e);

    // Six minutes on, the restart has left the window: the decision counts none, and so must the PR.
    const later = await run(17);
    expect(later.e.restarts).toBe(0);
    expectBodyOf(later.body, later.e);
  });
});
