// Builds the command line to JavaScript (dist/), so the installed `consul-gitops` starts on plain
// Node with no TypeScript loader; npm runs it as `prepare` on install and before `npm pack`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `undici` becomes its HTTP client alone, as in the Lambda bundles: scripts/lambda-undici.mjs, whose
 * imports of undici's own files stay imports of the installed package (`undici/lib/...`, external)
 * rather than being bundled. undici's index.js also loads fetch, WebSocket, EventSource, caches and
 * mocks, which the CLI never uses: about 0.15 s of CPU at every start of a command that talks to
 * Consul (bench/cli-start.bench.ts).
 */
const undiciClientOnly = {
  name: 'undici-client-only',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: join(ROOT, 'scripts', 'lambda-undici.mjs') }));
    b.onResolve({ filter: /^\.\.\/node_modules\/undici\/lib\// }, (args) => ({ path: args.path.slice('../node_modules/'.length), external: true }));
  },
};

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
    plugins: [undiciClientOnly],
    minify,
    metafile,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
