// The CLI as it was at a commit, built as bench/support/built-cli.ts builds today's: its sources and
// build script extracted from git into a scratch directory inside the repository (so packages
// resolve from node_modules as in dist/). For before/after figures in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BuiltCliAt {
  bin: string;
  remove(): void;
}

export async function buildCliAt(ref: string): Promise<BuiltCliAt> {
  mkdirSync(resolve('tmp'), { recursive: true });
  const dir = mkdtempSync(join(resolve('tmp'), 'bench-base-'));
  const tar = execFileSync('git', ['archive', ref, '--', 'src', 'scripts'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const script = (await import(pathToFileURL(join(dir, 'scripts/build.mjs')).href)) as { buildCli(o: { outdir: string }): Promise<unknown> };
  await script.buildCli({ outdir: join(dir, 'cli') });
  return { bin: join(dir, 'cli', 'consul-gitops.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
