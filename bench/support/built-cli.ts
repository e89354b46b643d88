// Builds what a user runs (the compiled CLI, scripts/build.mjs) into a scratch directory inside the
// repository, so a whole-process benchmark measures plain Node on built JavaScript, not the tsx
// loader compiling TypeScript on every start; extra entries (a baseline child) are built alike.
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { buildCli as buildCliUntyped, externalExceptBundled } from '../../scripts/build.mjs';

const buildCli = buildCliUntyped as (o: { outdir: string }) => Promise<unknown>;

export interface BuiltCli {
  /** The built `consul-gitops` entry. */
  bin: string;
  /** Built extra entries by name. */
  extra: Record<string, string>;
  remove(): void;
}

/** Inside the repository (under tmp/, ignored by git) so the build resolves node_modules as dist/ does. */
export async function buildCliForBench(extraEntries: Record<string, string> = {}): Promise<BuiltCli> {
  mkdirSync(resolve('tmp'), { recursive: true });
  const dir = mkdtempSync(join(resolve('tmp'), 'bench-dist-'));
  await buildCli({ outdir: join(dir, 'cli') });
  const extra: Record<string, string> = {};
  for (const [name, entry] of Object.entries(extraEntries)) {
    await build({
      entryPoints: { [name]: entry },
      outdir: join(dir, 'extra'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.6',
      // Packages as the CLI has them: zod and yaml compiled in, the rest from node_modules.
      plugins: [externalExceptBundled as Plugin],
      logLevel: 'warning',
    });
    extra[name] = join(dir, 'extra', `${name}.js`);
  }
  return { bin: join(dir, 'cli', 'consul-gitops.js'), extra, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
