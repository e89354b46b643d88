// One bench entry (e.g. bench/support/apply-client.ts) built from the sources of a commit, as
// built-cli.ts builds today's extra entries: the commit's src/ and the entry extracted from git into
// a scratch directory inside the repository (packages resolve from node_modules as in dist/). For a
// before/after of the same code path in one process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { externalExceptBundled } from '../../scripts/build.mjs';

export interface BuiltEntryAt {
  /** The built entry (an ES module to import). */
  entry: string;
  remove(): void;
}

export async function buildEntryAt(ref: string, entryPath: string): Promise<BuiltEntryAt> {
  mkdirSync(resolve('tmp'), { recursive: true });
  const dir = mkdtempSync(join(resolve('tmp'), 'bench-entry-'));
  const tar = execFileSync('git', ['archive', ref, '--', 'src', 'functions', entryPath], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const name = basename(entryPath).replace(/\.ts$/, '');
  await build({
    entryPoints: { [name]: join(dir, entryPath) },
    outdir: join(dir, 'out'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.6',
    plugins: [externalExceptBundled as Plugin],
    // Packages resolve from the repository's node_modules, as for today's build.
    nodePaths: [resolve('node_modules')],
    logLevel: 'warning',
  });
  return { entry: join(dir, 'out', `${name}.js`), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
