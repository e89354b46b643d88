// `npm run reliability`: runs the fault and abuse tests (vitest, JSON reporter) and the bounded
// loopback load run (test/reliability/load.ts), then writes docs/reliability.md: one table of every
// case of issue 8's "what it survives", how it is tested (file › test) and the measured result.
// Nothing in the table is typed in: a case passes only when every test it cites ran and passed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, type LoadFigures } from '../test/reliability/load.ts';

interface Ref {
  file: string;
  /** The test's full name (describe titles and test title joined by spaces), or a unique part of it. */
  test: string;
}
interface Case {
  section: 'Faults' | 'Abuse';
  name: string;
  refs: Ref[];
}

const R = 'test/reliability';
const CASES: Case[] = [
  {
    section: 'Faults',
    name: 'Consul 500/503 bursts',
    refs: [
      { file: `${R}/consul-faults.test.ts`, test: 'a burst of 503s mid-apply is retried' },
      { file: 'test/adapters/consul/client-dev-server.test.ts', test: 'retries over two injected 503s' },
      { file: 'test/adapters/consul/client-dev-server.test.ts', test: 'gives up after maxAttempts of 503' },
    ],
  },
  {
    section: 'Faults',
    name: 'Dropped connections mid-request',
    refs: [
      { file: 'test/e2e/apply-consul-faults.test.ts', test: 'a write whose answer is lost is "outcome unknown: re-run plan"' },
      { file: 'test/e2e/apply-consul-faults.test.ts', test: 'a write dropped once and answered on the retry is applied' },
      { file: 'test/adapters/consul/client-transport.test.ts', test: 'retries a dropped connection on reads' },
    ],
  },
  {
    section: 'Faults',
    name: 'Latency past the timeout',
    refs: [
      { file: 'test/adapters/consul/client-transport.test.ts', test: 'times out and retries reads' },
      { file: 'test/adapters/consul/client-transport.test.ts', test: 'does not resend a write that timed out, and marks it ambiguous' },
    ],
  },
  {
    section: 'Faults',
    name: '`No cluster leader` for a few seconds',
    refs: [
      { file: `${R}/consul-faults.test.ts`, test: '"No cluster leader" for two seconds' },
      { file: 'test/adapters/consul/client-transport.test.ts', test: 'and "No cluster leader"' },
    ],
  },
  {
    section: 'Faults',
    name: 'A concurrent writer racing every entry',
    refs: [
      { file: `${R}/consul-faults.test.ts`, test: 'a concurrent writer racing every entry' },
      { file: 'test/e2e/reconcile-dev-server.test.ts', test: 'reports a check-and-set conflict when Consul changes between plan and apply' },
    ],
  },
  {
    section: 'Faults',
    name: 'The dev server restarted (or stopped) mid-apply',
    refs: [
      { file: `${R}/consul-faults.test.ts`, test: 'the dev server restarted mid-apply' },
      { file: 'test/e2e/apply-consul-faults.test.ts', test: 'Consul stopping mid-apply' },
    ],
  },
  {
    section: 'Faults',
    name: 'GitHub primary rate limit (403, `x-ratelimit-remaining: 0`)',
    refs: [{ file: `${R}/github-faults.test.ts`, test: 'a primary rate limit (403, x-ratelimit-remaining: 0)' }],
  },
  {
    section: 'Faults',
    name: 'GitHub secondary rate limits (403/429 with `retry-after`)',
    refs: [
      { file: `${R}/github-faults.test.ts`, test: 'a secondary rate limit (403, retry-after) on the commit status' },
      { file: `${R}/github-faults.test.ts`, test: 'a 429 with retry-after on the blob' },
      { file: `${R}/github-faults.test.ts`, test: 'a secondary limit that outlasts the wait' },
    ],
  },
  {
    section: 'Faults',
    name: 'GitHub 5xx',
    refs: [
      { file: `${R}/github-faults.test.ts`, test: 'GitHub 502 twice on the tree listing' },
      { file: 'test/adapters/github/octokit.test.ts', test: 'retries 5xx answers' },
      { file: 'test/review-serverless/reconcile-after-apply.test.ts', test: 'says the changes were applied to Consul, in the commit status and in the error' },
      { file: 'test/serve/serve.e2e.test.ts', test: 'a failing run is logged and the server keeps serving' },
    ],
  },
  {
    section: 'Faults',
    name: 'A PR branch deleted by a human',
    refs: [{ file: 'test/app/proposals/lifecycle.test.ts', test: 'a branch a human deleted closes the PR on GitHub' }],
  },
  {
    section: 'Faults',
    name: 'Lambda: the same commit delivered twice',
    refs: [
      { file: `${R}/lambda-delivery.test.ts`, test: 'the same event delivered twice' },
      { file: 'test/e2e/serverless.test.ts', test: 'a redelivered push does no work twice' },
      { file: 'test/serve/serve.e2e.test.ts', test: 'a redelivery → 200 duplicate and no second run' },
    ],
  },
  {
    section: 'Faults',
    name: 'Lambda: an older commit after a newer one',
    refs: [
      { file: 'test/e2e/out-of-order-push.test.ts', test: 'through the Lambda handler: is refused as stale' },
      { file: 'test/e2e/out-of-order-push.test.ts', test: 'through `serve`: is refused as stale' },
    ],
  },
  {
    section: 'Faults',
    name: 'Lambda: fifty pushes in a burst (one run per target at a time, newest wins)',
    refs: [
      { file: `${R}/lambda-delivery.test.ts`, test: 'fifty pushes in a burst' },
      { file: 'test/serve/serve.e2e.test.ts', test: 'pushes arriving while a run is in progress collapse into one run of the newest commit' },
      { file: 'test/serve/queue.test.ts', test: 'newest apply wins' },
    ],
  },
  {
    section: 'Faults',
    name: 'Prometheus down',
    refs: [
      { file: `${R}/prometheus-faults.test.ts`, test: 'Prometheus down (nothing listening)' },
      { file: `${R}/prometheus-faults.test.ts`, test: 'complete data: ready-for-strict' },
    ],
  },
  {
    section: 'Faults',
    name: 'Prometheus returning partial data',
    refs: [
      { file: `${R}/prometheus-faults.test.ts`, test: "one metric's query times out (503)" },
      { file: `${R}/prometheus-faults.test.ts`, test: 'a partial-response warning' },
      { file: `${R}/prometheus-faults.test.ts`, test: 'samples only for the last 30 minutes of the window' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Forged webhooks',
    refs: [
      { file: 'test/functions/webhook/route-event.test.ts', test: 'rejects a tampered body with 401' },
      { file: 'test/functions/webhook/handler.test.ts', test: 'rejects a tampered body or a wrong secret' },
      { file: 'test/serve/serve.e2e.test.ts', test: 'a tampered body → 401 and no run' },
      { file: `${R}/abuse.test.ts`, test: 'forged, re-signed with another secret, and replayed deliveries change nothing' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Replayed webhooks',
    refs: [
      { file: `${R}/abuse.test.ts`, test: 'forged, re-signed with another secret, and replayed deliveries change nothing' },
      { file: 'test/functions/webhook/handler.test.ts', test: 'does no work twice for a redelivery' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Re-signed webhooks (another secret)',
    refs: [
      { file: 'test/functions/webhook/route-event.test.ts', test: 'rejects a body signed with another secret' },
      { file: `${R}/abuse.test.ts`, test: 'forged, re-signed with another secret, and replayed deliveries change nothing' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Path tricks in Git tree entries',
    refs: [
      { file: `${R}/git-tree-paths.test.ts`, test: 'config-entries/../outside.hcl: the commit is refused' },
      { file: `${R}/git-tree-paths.test.ts`, test: 'config-entries/./dot.hcl: the commit is refused' },
      { file: `${R}/git-tree-paths.test.ts`, test: 'config-entries/.git/hooks.hcl: the commit is refused' },
      { file: `${R}/git-tree-paths.test.ts`, test: 'config-entries/dc1/../../escape.hcl: the commit is refused' },
      { file: `${R}/git-tree-paths.test.ts`, test: 'a control character in a file name is read as the file it is' },
      { file: 'test/unit/files/local-files.test.ts', test: 'does not follow a link to a token file outside the tree' },
      { file: 'test/unit/files/local-files.test.ts', test: 'skips a FIFO, a link to /dev/zero and a directory loop' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Alias bombs',
    refs: [
      { file: 'test/unit/formats/yaml.test.ts', test: 'refuses an alias bomb with a clear error, rendering nothing' },
      { file: 'test/unit/formats/yaml.test.ts', test: 'refuses an alias inside its own anchor and an alias with no anchor' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Deep nesting',
    refs: [
      { file: `${R}/abuse.test.ts`, test: 'json nested 50,000 levels' },
      { file: `${R}/abuse.test.ts`, test: 'hcl nested 50,000 levels' },
      { file: `${R}/abuse.test.ts`, test: 'yaml nested 50,000 levels' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Entry names with `/`, `%2F`, `..`, spaces or control characters',
    refs: [
      { file: `${R}/abuse.test.ts`, test: 'each is applied as itself, plans no changes, is pruned as itself, and is printed escaped' },
      { file: `${R}/abuse.test.ts`, test: '".." cannot be addressed' },
      { file: `${R}/abuse.test.ts`, test: '"." cannot be addressed' },
    ],
  },
  {
    section: 'Abuse',
    name: 'Every secret absent from logs, errors, plans, PR bodies and comments',
    refs: [
      { file: `${R}/abuse.test.ts`, test: 'no secret in any log line, status, comment or issue across the error paths' },
      { file: 'test/functions/webhook/handler.test.ts', test: 'never logs or answers the secret' },
      { file: 'test/adapters/consul/client-transport.test.ts', test: 'keeps the token out of errors and logs, even when the server echoes it' },
      { file: 'test/adapters/github/octokit.test.ts', test: 'redacts a token even when the server echoes it back in an error body' },
    ],
  },
];

interface Assertion {
  fullName: string;
  status: string;
}

/** Runs the cited test files once; every test's full name and status. */
function runTests(files: string[]): Assertion[] {
  const out = join(mkdtempSync(join(tmpdir(), 'consul-gitops-reliability-')), 'vitest.json');
  const run = spawnSync('npx', ['vitest', 'run', ...files, '--reporter=json', `--outputFile=${out}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 15 * 60_000,
  });
  if (run.error) throw run.error;
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
  };
  return report.testResults.flatMap((f) => f.assertionResults.map((a) => ({ fullName: `${relative(f.name)} › ${a.fullName}`, status: a.status })));
}

const relative = (path: string) => path.slice(path.indexOf('/test/') + 1);

function judge(c: Case, results: Assertion[]): { how: string; result: string; ok: boolean } {
  if (c.refs.length === 0) return { how: '—', result: '**not covered**', ok: false };
  const lines: string[] = [];
  let passed = 0;
  const problems: string[] = [];
  for (const ref of c.refs) {
    const found = results.filter((r) => r.fullName.startsWith(`${ref.file} › `) && r.fullName.includes(ref.test));
    lines.push(`${ref.file} › ${ref.test}`);
    if (found.length === 0) problems.push(`not run: ${ref.test}`);
    else if (found.every((f) => f.status === 'passed')) passed++;
    else problems.push(`${found.find((f) => f.status !== 'passed')!.status}: ${ref.test}`);
  }
  const ok = problems.length === 0;
  return {
    how: lines.map(cell).join('<br>'),
    result: ok ? `pass (${passed}/${c.refs.length})` : `**FAIL** (${passed}/${c.refs.length}): ${cell(problems.join('; '))}`,
    ok,
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function loadRow(f: LoadFigures): string {
  const figures = `${f.ok ? 'pass' : '**FAIL**'}: ${f.count} in ${f.seconds} s = ${f.perSecond}/s; p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms; peak RSS ${f.peakRssMiB} MiB`;
  return `| Load | ${cell(f.name)} | test/reliability/load.ts (${cell(f.workload)}) | ${figures} |`;
}

const files = [...new Set(CASES.flatMap((c) => c.refs.map((r) => r.file)))].sort();
console.error(`reliability: running ${files.length} test files…`);
const results = runTests(files);
console.error('reliability: load run…');
const load = await runLoad();

const rows = CASES.map((c) => ({ c, ...judge(c, results) }));
const doc = [
  '# Reliability: what consul-gitops survives, measured',
  '',
  'Generated by `npm run reliability` (scripts/reliability.ts); do not edit by hand. Each case cites the tests that',
  'prove it (file › test name); it passes only when every cited test ran and passed in this run. The load rows are',
  'measured in this run on loopback (Node ' + process.version + ', ' + `${(await import('node:os')).cpus().length} CPUs` + '): throughput, p50/p99 latency per',
  'delivery (per target run for "many targets") and the peak RSS of the process during that phase.',
  '',
  '| Section | Case | How it is tested | Result |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.c.section} | ${cell(r.c.name)} | ${r.how} | ${r.result} |`),
  ...load.map(loadRow),
  '',
  `${rows.filter((r) => r.ok).length} of ${rows.length} cases pass; ${load.filter((l) => l.ok).length} of ${load.length} load runs pass.`,
  '',
].join('\n');
writeFileSync(join(process.cwd(), 'docs/reliability.md'), doc);
console.log(doc);
process.exitCode = rows.every((r) => r.ok) && load.every((l) => l.ok) ? 0 : 1;
