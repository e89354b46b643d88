// Shared set-up for the proposal lifecycle tests: a GitHub double holding a small tree, the real
// GitHub adapters on it, an in-memory KV, and verdicts as the advisor reports them.
import type {
  AdviceReport,
  EvidenceWindow,
  InstanceSamples,
  ServiceSamples,
  ServiceVerdict,
  TrafficSampleSource,
  Verdict,
} from '../../../src/core/advisor/model.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/advisor/model.ts';
import { GitHubPostureIssue, GitHubProposalPullRequests } from '../../../src/adapters/github/proposal-pull-requests.ts';
import { proposeStrict, type ProposeOptions } from '../../../src/app/proposals/propose-strict.ts';
import type { SourceFile } from '../../../src/core/parse-files.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { InMemoryStateStore } from '../../support/in-memory-state-store.ts';
import { series, MINUTE } from '../../support/traffic-double.ts';
import { clientFor, TOKEN } from '../../adapters/github/client.ts';

export const NOW = Date.parse('2026-11-30T12:00:00Z');
export const WINDOW: EvidenceWindow = { start: NOW - 7 * 24 * 3600_000, end: NOW };

export const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
export const strict = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "strict"\n`;
export const MESH_OPEN = 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n';

export function verdict(name: string, v: Verdict, opts: { plaintext?: number; lastSeenAt?: number; instances?: string[] } = {}): ServiceVerdict {
  const plaintext = opts.plaintext ?? 0;
  const instances = opts.instances ?? [`${name}-0`];
  return {
    service: { name, namespace: 'default', partition: 'default' },
    verdict: v,
    reasons: [
      v === 'ready-for-strict'
        ? `no plaintext connection to ${name} for 7d`
        : v === 'still-receiving-plaintext'
          ? `${plaintext} plaintext connections in the window`
          : `verdict ${v}`,
    ],
    origin: { kind: 'service-defaults', file: `config-entries/${name}.hcl` },
    evidence: {
      window: WINDOW,
      instances: instances.map((instance) => ({
        instance,
        firstSampleAt: WINDOW.start,
        lastSampleAt: WINDOW.end,
        restarts: 0,
        longestGapMs: MINUTE,
        permissive: {
          connections: { first: 40, last: 40 + plaintext, increase: plaintext, ...(plaintext ? { lastRiseAt: opts.lastSeenAt ?? NOW - 3600_000 } : {}) },
        },
        mtls: { handshakes: { first: 1000, last: 9000, increase: 8000 } },
      })),
      permissive: {
        connections: plaintext,
        rxBytes: plaintext * 300,
        txBytes: plaintext * 500,
        ...(plaintext ? { lastSeenAt: opts.lastSeenAt ?? NOW - 3600_000 } : {}),
      },
      mtls: { handshakes: 8000, httpRequests: 0, rxBytes: 0 },
      restarts: 0,
      sources: ['test://stats'],
      problems: [],
      timeline: [],
      blindSpot: 'traffic in the last scrape interval before a process died is not seen',
    },
  };
}

export function report(services: ServiceVerdict[], drift: AdviceReport['drift'] = []): AdviceReport {
  return { window: WINDOW, source: 'test stats', services, drift };
}

/** Passthrough (`original-destination`) counters per service: connections per minute (0 = none). */
export function passthroughSource(perMinute: Record<string, number | 'missing'>): TrafficSampleSource & { calls: number } {
  const src = {
    description: 'test passthrough',
    calls: 0,
    async samples(services: readonly { name: string; namespace: string; partition: string }[], w: EvidenceWindow): Promise<ServiceSamples[]> {
      src.calls++;
      return services.map((service) => {
        const rate = perMinute[service.name] ?? 0;
        const inst: InstanceSamples = {
          instance: `${service.name}-0`,
          metrics: rate === 'missing' ? {} : { passthroughConnections: series(w.start, w.end, (t) => 5 + rate * Math.floor((t - w.start) / MINUTE)) },
        };
        return { service, instances: [inst], sources: [], problems: [], scrapeIntervalMs: MINUTE };
      });
    },
  };
  return src;
}

export interface World {
  double: GitHubDouble;
  state: InMemoryStateStore;
  files: () => SourceFile[];
  run: (r: AdviceReport, opts?: Partial<ProposeOptions> & { traffic?: TrafficSampleSource; catalog?: string[] }) => ReturnType<typeof proposeStrict>;
  writes: () => string[];
}

export async function world(tree: Record<string, string>): Promise<World> {
  const double = await startGitHubDouble({ token: TOKEN });
  double.addCommit(tree);
  const octokit = await clientFor(double);
  const state = new InMemoryStateStore();
  const files = () =>
    Object.entries(double.filesAt('main'))
      .filter(([p]) => p.startsWith('config-entries/'))
      .map(([path, text]) => ({ path, text }));
  return {
    double,
    state,
    files,
    writes: () => double.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^\/repos\/acme\/mesh-config/, '')}`),
    async run(r, opts = {}) {
      const pulls = await GitHubProposalPullRequests.forDefaultBranch(octokit, { owner: double.owner, repo: double.repo });
      return proposeStrict(
        r,
        files(),
        {
          pulls,
          dashboard: new GitHubPostureIssue(octokit, { owner: double.owner, repo: double.repo }),
          state,
          traffic: opts.traffic ?? passthroughSource({}),
          catalog: {
            connectEnabledServices: async () => (opts.catalog ?? ['api', 'web']).map((name) => ({ name, namespace: 'default', partition: 'default' })),
          },
        },
        { target: 'dc1', stateKeyPrefix: 'consul-gitops/state', grouping: 'per-service', labels: ['mtls'], thresholds: DEFAULT_THRESHOLDS, now: NOW, ...opts },
      );
    },
  };
}
