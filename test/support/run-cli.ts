// Runs the CLI in-process against files in a fresh temporary directory, capturing its output.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main, type MainDeps } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** `deps`: what the test replaces (e.g. `{ sleep: NO_PAUSES }`); by default the CLI as users run it. */
export async function runCli(argv: string[], cwd: string, deps: MainDeps = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      cwd,
    },
    deps,
  );
  return { code, stdout, stderr };
}

/**
 * A `sleep` that does not wait: for a test whose Consul is gone for good, where apply's lock would
 * only pause between attempts to release its lease (about 4 s) before the command ends the same way.
 */
export const NO_PAUSES = (): Promise<void> => Promise.resolve();

type ConsulCommand = (
  args: string[],
  io: Parameters<typeof main>[1],
  env: { env: Record<string, string>; now: () => Date; sleep?: (ms: number) => Promise<void> },
) => Promise<number>;

/** Runs a Consul-facing command (plan, apply, audit) in-process against `consulUrl`, with a fixed clock. */
export async function runAgainst(consulUrl: string, cmd: ConsulCommand, args: string[], cwd: string, deps: Pick<MainDeps, 'sleep'> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd };
  const code = await cmd([...args, '--consul', consulUrl], io, { env: {}, now: () => new Date('2026-11-25T12:00:00Z'), ...deps });
  return { code, stdout, stderr };
}
