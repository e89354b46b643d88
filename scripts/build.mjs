// Builds the command line to JavaScript (dist/), so the installed `consul-gitops` starts on plain
// Node with no TypeScript loader; npm runs it as `prepare` on install and before `npm pack`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * One entry (dist/consul-gitops.js) and one chunk per lazily imported command: `--help` loads the
 * entry alone. Dependencies stay in node_modules (`packages: 'external'`), installed by npm with
 * the package as usual, so a security fix to one of them needs no new release of this one.
 */
export async function buildCli({ outdir = `${ROOT}dist`, minify = false, metafile = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  return build({
    absWorkingDir: ROOT,
    entryPoints: { 'consul-gitops': 'src/cli/entry.ts' },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.6',
    packages: 'external',
    minify,
    metafile,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
