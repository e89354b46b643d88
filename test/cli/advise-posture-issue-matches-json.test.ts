// The posture issue as a reader sees it holds the same decision `advise --json` prints in the same
// run: through main() (`advise --open-prs --json`) against the dev server and the GitHub double,
// every service's row (verdict, deciding reason, last plaintext seen), the tally and the window of
// the `mTLS posture` issue are read back from its Markdown and compared with the JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { VERDICTS } from '../../src/core/advisor/model.ts';

let server: DevServer;
let github: GitHubDouble;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  for (const service of ['orders', 'billing', 'cron']) await registerSidecar(server.url, service);
  github = await startGitHubDouble({ token: TOKEN });
});
afterAll(async () => {
  await github.close();
  await server.close();
});

const NOW = new Date('2026-11-25T12:00:00Z');
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nMutualTLSMode = "permissive"\n`;
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': permissive('orders'),
  'config-entries/billing.hcl': permissive('billing'),
  'config-entries/cron.hcl': permissive('cron'),
};
const traces = {
  orders: [{ plaintextPerMinute: 3, handshakesPerMinute: 12 }],
  billing: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }],
  cron: [{ plaintextPerMinute: 0, handshakesPerMinute: 0 }],
};

interface JsonService {
  service: string;
  verdict: string;
  reasons: string[];
  evidence: { permissive: { lastSeenAt?: string } };
}

/** A Markdown cell as a reader sees it: backslash escapes and entities undone. */
const unescape = (cell: string) => cell.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const minute = (iso: string | undefined) => (iso === undefined ? 'never' : `${iso.slice(0, 16).replace('T', ' ')} UTC`);

describe('advise --open-prs --json: the posture issue and the JSON of the same run', () => {
  it('carry the same verdicts, deciding reasons, last plaintext, tally and window', async () => {
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(server.url, ['--open-prs', '--json'], { cwd: tempTree(TREE), traces, env, now: NOW });
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { window: { start: string; end: string }; services: JsonService[] };
    expect(json.services.map((s) => [s.service, s.verdict]).sort()).toEqual([
      ['billing', 'ready-for-strict'],
      ['cron', 'no-mtls-traffic-yet'],
      ['orders', 'still-receiving-plaintext'],
    ]);

    const body = github.issues.find((i) => i.title === 'mTLS posture: default')!.body;
    // The services' table: the one headed `| Service | Verdict |`.
    const table = body.slice(body.indexOf('| Service | Verdict |')).split('\n\n')[0];
    const rows = new Map(
      table
        .split('\n')
        .slice(2)
        .map((l) => {
          const cells = l
            .split(/(?<!\\)\|/)
            .slice(1, -1)
            .map((c) => c.trim());
          return [cells[0].replace(/`/g, ''), cells] as const;
        }),
    );
    expect([...rows.keys()].sort()).toEqual(['billing', 'cron', 'orders']);
    for (const s of json.services) {
      const [, verdict, reason, last] = rows.get(s.service)!;
      expect(verdict).toBe(`**${s.verdict}**`);
      expect(unescape(reason)).toBe(s.reasons[0].slice(0, 200));
      expect(last).toBe(minute(s.evidence.permissive.lastSeenAt));
    }
    const tally = VERDICTS.map((v) => [v, json.services.filter((s) => s.verdict === v).length] as const).filter(([, n]) => n > 0);
    expect(body).toContain(`${json.services.length} permissive services: ${tally.map(([v, n]) => `${n} ${v}`).join(', ')}.`);
    expect(body).toContain(`window ${minute(json.window.start)} to ${minute(json.window.end)}.`);
    expect(github.unexpected).toEqual([]);
  });
});
