// Runs `consul-gitops advise` in-process through main() against one Consul, as the advise tests do:
// sidecar traffic from the in-memory double (test/support/traffic-double.ts) unless a real stats
// source is named, a fixed clock, and a GitHub client that neither throttles nor retries (the GitHub
// double answers at once).
import { main } from '../../src/cli/main.ts';
import type { CliRun } from './run-cli.ts';
import { trafficDouble, type Trace } from './traffic-double.ts';

export const ADVISE_NOW = new Date('2026-11-25T12:00:00Z');

export interface AdviseRun {
  /** The working directory holding `config-entries/` (tempTree, or a git checkout). */
  cwd: string;
  /** Each service's sidecar traces, by service name (none: no instances). */
  traces?: Record<string, Trace[]>;
  /** `--stats` for a real source (`prometheus=URL`); the traces are then not used. Default: the traffic double. */
  stats?: string;
  env?: Record<string, string>;
  now?: Date;
}

/** `advise --consul URL --stats envoy|STATS ...args`, its exit code and output. */
export async function runAdvise(consulUrl: string, args: string[], run: AdviseRun): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const now = run.now ?? ADVISE_NOW;
  const code = await main(
    ['advise', '--consul', consulUrl, '--stats', run.stats ?? 'envoy', ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: run.cwd },
    {
      now: () => now,
      ...(run.stats === undefined ? { trafficSource: () => trafficDouble(run.traces ?? {}) } : {}),
      env: run.env ?? {},
      github: { throttle: false, retries: 0 },
    },
  );
  return { code, stdout, stderr };
}
