// Label values are whatever a scrape carried: through main() with a real Prometheus, a pod label
// holding a line break, backticks, `|`, HTML, a Markdown heading, an @mention and terminal escape
// sequences reaches the strict PR (GitHub double) as one inert table cell, and the terminal report
// with its controls shown escaped, never acted on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (hostile labels): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;
/** The pod label as Prometheus holds it (OpenMetrics escapes: \n is a line break, \" a quote). */
const HOSTILE = 'pod-`x`|<img src=x onerror=alert(1)>\n# Approved by @security-team\u001b[2J\u001b]0;pwned\u0007';
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const TREE = {
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

describe.skipIf(missing !== undefined)('advise --stats prometheus, a pod label written to break the PR and the terminal', () => {
  let prom: RunningPrometheus;
  let server: DevServer;
  let github: GitHubDouble;
  beforeAll(async () => {
    const sidecar = (service: string, plaintext: (m: number) => number) =>
      sidecarHistory({ base, from: 0, to: 180, labels: sidecarLabels(service, { pod: escapeLabel(HOSTILE) }), plaintext });
    // orders: quiet all along (ready, so a PR); billing: still taking plaintext (the terminal lists its instance).
    prom = await startPrometheus({ openMetrics: openMetrics([...sidecar('orders', () => 20), ...sidecar('billing', (m) => 20 + m)]) });
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    await registerSidecar(server.url, 'orders');
    await registerSidecar(server.url, 'billing');
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
  }, 60_000);
  afterAll(async () => {
    await github?.close();
    await prom?.stop();
    await server?.close();
  });

  it('the strict PR shows it as one inert table cell; the terminal shows its controls escaped', async () => {
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(server.url, ['--window', '2h', '--open-prs'], {
      cwd: tempTree(TREE),
      stats: `prometheus=${prom.url}`,
      env,
      now: new Date(END),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const pr = github.pulls.find((p) => p.head === 'consul-gitops/strict/default/default/orders')!;
    const rows = pr.body.split('\n').filter((l) => l.startsWith('| `pod-'));
    expect(rows).toHaveLength(1);
    // One row of the nine columns: the `|` in the value does not split it.
    expect(rows[0].split(/(?<!\\)\|/).length).toBe(11);
    expect(rows[0]).toContain("`pod-'x'\\|<img src=x onerror=alert(1)> # Approved by @security-team\\u001b[2J\\u001b]0;pwned\\u0007`");
    // Nothing the value holds acts as markup or control anywhere in the body.
    expect(pr.body.split('\n').some((l) => l.startsWith('# Approved'))).toBe(false);
    expect([...pr.body].filter((c) => c < ' ' && c !== '\n')).toEqual([]);

    // billing's reason and instance line name the pod, its line break and controls shown as text.
    const named = run.stdout.split('\n').filter((l) => l.includes('pod-`x`'));
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const line of named) expect(line).toContain('pod-`x`|<img src=x onerror=alert(1)>\\u000a# Approved by @security-team\\u001b[2J\\u001b]0;pwned\\u0007');
    expect(run.stdout.split('\n').some((l) => l.startsWith('# Approved'))).toBe(false);
    expect([...run.stdout].filter((c) => c < ' ' && c !== '\n')).toEqual([]);
  });
});
