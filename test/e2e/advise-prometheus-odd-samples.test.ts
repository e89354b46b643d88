// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog,
// on samples that are not a plain rising counter: a NaN or +Inf sample inside the window (an exporter
// bug) is no measurement, so the service is insufficient-data, naming it; a sidecar restarted inside
// the window under the same pod name counts everything its new process counted as plaintext, whether
// uptime shows the restart or only the counter's drop does; and a Prometheus whose
// `--query.max-samples` refuses the query leaves every service insufficient-data, with its error.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (odd samples): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;
const SERVICES = ['orders', 'billing', 'ledger', 'stock', 'quiet'] as const;
const TREE = Object.fromEntries(
  SERVICES.map((s) => [`config-entries/${s}.hcl`, `Kind = "service-defaults"\nName = "${s}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`]),
);

/** The one sidecar of `service` (pod `<service>-0`), sampled every minute of the 3 h; no plaintext unless `plaintext` says so. */
function sidecar(service: string, i: number, h: { plaintext?: (m: number) => number; uptime?: (m: number) => number } = {}) {
  return sidecarHistory({
    base,
    from: 0,
    to: 180,
    labels: sidecarLabels(service, { consul_source_datacenter: 'dc1', instance: `10.0.0.${10 + i}:20200`, pod: `${service}-0` }),
    plaintext: h.plaintext ?? (() => 40),
    // Bytes flat whatever the connection counter does: the verdict rests on the counter under test.
    rxBytes: () => 9_000,
    txBytes: () => 12_000,
    listenerAddress: `10.0.0.${10 + i}_20000`,
    ...(h.uptime ? { uptime: h.uptime } : {}),
  });
}

const history = () => [
  // orders: one NaN sample an hour before the end; billing: one +Inf.
  ...sidecar('orders', 0, { plaintext: (m) => (m === 120 ? NaN : 40) }),
  ...sidecar('billing', 1, { plaintext: (m) => (m === 120 ? Infinity : 40) }),
  // ledger: Envoy restarted at minute 140 (uptime back to 0), its new process took 3 plaintext connections.
  ...sidecar('ledger', 2, { plaintext: (m) => (m < 140 ? 40 : 3), uptime: (m) => (m < 140 ? 86_400 + m * 60 : (m - 140) * 60) }),
  // stock: the counter went down by one at minute 140 and nothing else shows a restart.
  ...sidecar('stock', 3, { plaintext: (m) => (m < 140 ? 40 : 39) }),
  // quiet: flat throughout: the control, ready.
  ...sidecar('quiet', 4),
];

async function registerAll(run: ReturnType<typeof prometheusSidecars>): Promise<void> {
  for (const [i, s] of SERVICES.entries()) await run.sidecar(s, { id: `${s}-0`, address: `10.0.0.${10 + i}`, meta: { 'pod-name': `${s}-0` } });
}

describe.skipIf(missing !== undefined)('advise --stats prometheus, samples that are not a plain rising counter', () => {
  const run = prometheusSidecars({ history, tree: TREE, end: END });

  it('NaN and +Inf are no measurement: insufficient-data, naming the instance; a restart under the same pod name is plaintext', async () => {
    await registerAll(run);
    const v = await run.verdicts();
    expect(v.quiet.verdict).toBe('ready-for-strict');
    for (const s of ['orders', 'billing'] as const) {
      expect(v[s].verdict).toBe('insufficient-data');
      expect(v[s].reasons.join('\n')).toContain(`${s}-0: 1 permissiveConnections samples are not finite numbers`);
    }
    expect(v.ledger.verdict).toBe('still-receiving-plaintext');
    expect(v.stock.verdict).toBe('still-receiving-plaintext');
  });
});

describe.skipIf(missing !== undefined)('advise --stats prometheus, a Prometheus whose --query.max-samples refuses the query', () => {
  const run = prometheusSidecars({ history, tree: TREE, end: END, extraArgs: ['--query.max-samples=100'] });

  it('every service is insufficient-data, with the error Prometheus gave; none is ready', async () => {
    await registerAll(run);
    const v = await run.verdicts();
    for (const s of SERVICES) {
      expect(v[s].verdict).toBe('insufficient-data');
      expect(v[s].reasons.join('\n')).toContain('query processing would load too many samples into memory');
    }
  });
});
