// The setup the advise e2e tests over a real Prometheus and the dev server's catalog share
// (test/e2e/advise-prometheus-{silent-sidecar,other-datacenter,replaced-sidecar,unscraped}.test.ts):
// one Prometheus per file holding the sidecars' history, a fresh dev server per test whose catalog
// the test fills with the sidecars Consul lists, and `advise --json` run through main() at the
// history's end. Call it inside the file's describe (it adds the hooks there).
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, startPrometheus, type RunningPrometheus } from './prometheus.ts';
import { verdictsOf, type JsonVerdict, type OpenMetricsSeries } from './prometheus-sidecar-history.ts';
import { registerSidecar, type SidecarPlace } from './register-sidecar.ts';
import { runAdvise } from './run-advise.ts';
import { tempTree } from './run-cli.ts';

export interface PrometheusSidecarsSetup {
  /** The series Prometheus holds (sidecarHistory of each sidecar). */
  history: () => OpenMetricsSeries[];
  /** The files advise reads (`config-entries/…`). */
  tree: Record<string, string>;
  /** The run's clock: the history's end. */
  end: number;
  /** `--window` (default 2h). */
  window?: string;
  /** Prometheus's own flags (e.g. `--query.max-samples=…`). */
  extraArgs?: string[];
}

export interface PrometheusSidecars {
  /** Registers a sidecar of `service` in this test's catalog at `place` (its node `node-<id>` unless named). */
  sidecar(service: string, place: SidecarPlace & { id: string }): Promise<void>;
  /** Each judged service's verdict from `advise --window … --json` (exit 0, nothing on stderr), by name. */
  verdicts(): Promise<Record<string, JsonVerdict>>;
}

export function prometheusSidecars(setup: PrometheusSidecarsSetup): PrometheusSidecars {
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: openMetrics(setup.history()), ...(setup.extraArgs ? { extraArgs: setup.extraArgs } : {}) });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });
  beforeEach(async () => {
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    return () => server.close();
  });
  return {
    sidecar: (service, place) => registerSidecar(server.url, service, {}, { node: `node-${place.id}`, ...place }),
    verdicts: async () =>
      verdictsOf(
        await runAdvise(server.url, ['--window', setup.window ?? '2h', '--json'], {
          cwd: tempTree(setup.tree),
          stats: `prometheus=${prom.url}`,
          now: new Date(setup.end),
        }),
      ),
  };
}
