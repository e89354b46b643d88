// npm run bench (proposals): the strict-mode proposals over 1,000 permissive services (500 ready)
// against the loopback GitHub double. GitHub requests per changed PR must be a small fixed number,
// and an unchanged PR must cost none; the baseline re-ensures every PR through the opener on every
// run (what an idempotent-but-naive bot does), measured in the same process.
// Run: node --import tsx bench/proposals.bench.ts   (BENCH_SERVICES=200 for a quicker run)
import { createGitHubClient } from '../src/adapters/github/octokit.ts';
import { GitHubPostureIssue, GitHubProposalPullRequests } from '../src/adapters/github/proposal-pull-requests.ts';
import { proposeStrict } from '../src/app/proposals/propose-strict.ts';
import { DEFAULT_THRESHOLDS, type AdviceReport, type ServiceVerdict } from '../src/core/advisor/model.ts';
import { strictBranchName } from '../src/core/proposals/branch-name.ts';
import { proposeStrictMode } from '../src/core/proposals/propose-strict.ts';
import { startGitHubDouble } from '../test/support/github-double.ts';
import { InMemoryStateStore } from '../test/support/in-memory-state-store.ts';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const READY = Math.floor(SERVICES / 2);
const TOKEN = 'ghp_benchTOKEN0123456789abcdef';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const window = { start: NOW - 7 * 86_400_000, end: NOW };

const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;
const tree: Record<string, string> = { 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' };
for (let i = 0; i < SERVICES; i++)
  tree[`config-entries/${name(i)}.hcl`] = `Kind = "service-defaults"\nName = "${name(i)}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;

function verdict(i: number): ServiceVerdict {
  const ready = i < READY;
  const plaintext = ready ? 0 : 7;
  return {
    service: { name: name(i), namespace: 'default', partition: 'default' },
    verdict: ready ? 'ready-for-strict' : 'still-receiving-plaintext',
    reasons: [ready ? 'no plaintext connection for 7d' : `${plaintext} plaintext connections in the window`],
    origin: { kind: 'service-defaults', file: `config-entries/${name(i)}.hcl` },
    evidence: {
      window,
      instances: [
        {
          instance: `${name(i)}-0`,
          firstSampleAt: window.start,
          lastSampleAt: window.end,
          restarts: 0,
          longestGapMs: 60_000,
          permissive: { connections: { first: 40, last: 40 + plaintext, increase: plaintext } },
          mtls: { handshakes: { first: 1, last: 900, increase: 899 } },
        },
      ],
      permissive: { connections: plaintext, rxBytes: 0, txBytes: 0 },
      mtls: { handshakes: 899, httpRequests: 0, rxBytes: 0 },
      restarts: 0,
      sources: ['bench'],
      problems: [],
      timeline: [],
      blindSpot: 'the last scrape interval before a process died',
    },
  };
}

const report: AdviceReport = { window, source: 'bench', services: Array.from({ length: SERVICES }, (_, i) => verdict(i)), drift: [] };

const double = await startGitHubDouble({ token: TOKEN });
double.addCommit(tree);
// One retry with a 1 ms back-off: a keep-alive socket the server closes just as it is reused resets (ECONNRESET).
const octokit = await createGitHubClient({ auth: { token: TOKEN }, baseUrl: double.url, throttle: false, retries: 1, retryAfterBaseValueMs: 1 });
const repo = { owner: double.owner, repo: double.repo };
const files = Object.entries(tree).map(([path, text]) => ({ path, text }));
const state = new InMemoryStateStore();
const ports = async () => ({
  pulls: await GitHubProposalPullRequests.forDefaultBranch(octokit, repo),
  dashboard: new GitHubPostureIssue(octokit, repo),
  state,
  traffic: { description: 'bench', samples: async () => [] },
  catalog: { connectEnabledServices: async () => [] },
});
const options = {
  target: 'dc1',
  stateKeyPrefix: 'consul-gitops/state',
  grouping: 'per-service' as const,
  labels: ['mtls'],
  thresholds: DEFAULT_THRESHOLDS,
  now: NOW,
};

async function measure(label: string, run: () => Promise<number>) {
  const before = double.requests.length;
  const writesBefore = double.requests.filter((r) => r.method !== 'GET').length;
  const t0 = performance.now();
  const changed = await run();
  const ms = performance.now() - t0;
  return { label, changed, requests: double.requests.length - before, writes: double.requests.filter((r) => r.method !== 'GET').length - writesBefore, ms };
}

const count = (o: Awaited<ReturnType<typeof proposeStrict>>, kinds: string[]) => o.actions.filter((a) => kinds.includes(a.kind)).length;
const first = await measure('first run (opens)', async () =>
  count(await proposeStrict(report, files, await ports(), options), ['opened', 'updated', 'evidence-updated']),
);
const second = await measure('second run (unchanged)', async () =>
  count(await proposeStrict(report, files, await ports(), options), ['opened', 'updated', 'evidence-updated']),
);
// Baseline: ensure every ready service's PR again through the opener, as a bot without a version marker would.
const baselinePulls = await GitHubProposalPullRequests.forDefaultBranch(octokit, repo);
const baseline = await measure('baseline second run (re-ensure each PR)', async () => {
  for (let i = 0; i < READY; i++) {
    const v = report.services[i];
    const p = proposeStrictMode({ files, service: v.service, origin: v.origin });
    if (!p.ok) throw new Error(p.reason);
    await baselinePulls.ensure({
      branch: strictBranchName(v.service),
      title: `mTLS: move ${v.service.name} to strict`,
      body: 'x',
      labels: ['mtls'],
      changes: p.changes,
      message: 'x',
    });
  }
  return READY;
});
await double.close();
if (double.unexpected.length) throw new Error(`unexpected requests: ${double.unexpected.slice(0, 3).join(', ')}`);

// The per-run overhead (repository, paged PR list, dashboard) is what the unchanged run costs.
const overhead = second.requests;
const perChanged = (first.requests - overhead) / Math.max(1, first.changed);
console.log(`proposals: ${SERVICES} permissive services, ${READY} ready, GitHub double on loopback`);
console.log(['run', 'changed PRs', 'requests', 'writes', 'per changed PR', 'per unchanged PR', 'time'].join(' | '));
console.log([first.label, first.changed, first.requests, first.writes, perChanged.toFixed(1), '-', `${(first.ms / 1000).toFixed(1)} s`].join(' | '));
console.log(
  [
    second.label,
    second.changed,
    second.requests,
    second.writes,
    '-',
    ((second.requests - overhead) / READY).toFixed(1),
    `${(second.ms / 1000).toFixed(1)} s`,
  ].join(' | '),
);
console.log(
  [baseline.label, 0, baseline.requests, baseline.writes, '-', (baseline.requests / READY).toFixed(1), `${(baseline.ms / 1000).toFixed(1)} s`].join(' | '),
);
console.log(`per-run overhead (repository, paged PR list, dashboard issue): ${overhead} requests, ${second.writes} writes`);
console.log(
  `unchanged run vs baseline: ${(second.requests / Math.max(1, baseline.requests)).toFixed(3)}x the requests, ${(second.writes / Math.max(1, baseline.writes)).toFixed(3)}x the writes`,
);
