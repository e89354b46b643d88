// Builds the command line to JavaScript (dist/), so the installed `consul-gitops` starts on plain
// Node with no TypeScript loader; npm runs it as `prepare` on install and before `npm pack`.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `undici` becomes its HTTP client alone (scripts/cli-undici.mjs), loaded from the installed package
 * at run time with `require`: undici's index.js also loads fetch, WebSocket, EventSource, caches and
 * mocks, which the CLI never uses (about 0.15 s of CPU at every start of a command that talks to
 * Consul), and importing its CommonJS files as ES modules cost about 0.07 s more than requiring
 * them (bench/cli-start.bench.ts, `plan`).
 */
const undiciClientOnly = {
  name: 'undici-client-only',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: join(ROOT, 'scripts', 'cli-undici.mjs') }));
  },
};

/**
 * Packages compiled into the CLI rather than loaded from node_modules at every start. Loading is
 * what they cost a short command, not their work: Node's ESM loader resolves, reads and links each
 * of zod/mini's ~40 files and yaml's ~60 CommonJS files one by one, and zod's unused half is
 * evaluated too (bundled, it is tree-shaken). Together about 0.15 s of CPU on every `plan` and
 * `validate`, a third of a one-file `validate` (bench/cli-start.bench.ts).
 * The trade-off: a fix to one of these two reaches CLI users with a release of consul-gitops
 * (as it already does for the Lambda functions, which bundle everything); every other dependency,
 * undici (the HTTP client) above all, stays external. yaml is its Node build, as the Lambda
 * bundles hold it, so the CLI runs the same parser code wherever it runs.
 */
export const BUNDLED_PACKAGES = ['zod', 'yaml'];

/**
 * What `packages: 'external'` does, except for BUNDLED_PACKAGES. Their CommonJS `require` of a Node
 * built-in (yaml's `require('process')`, `require('buffer')`) becomes an import of it: ESM output has
 * no `require` to call at run time.
 */
export const externalExceptBundled = {
  name: 'external-except-bundled',
  setup(b) {
    b.onResolve({ filter: /^[a-z_]+$/ }, (args) =>
      args.kind === 'require-call' && builtinModules.includes(args.path) ? { path: args.path, namespace: 'node-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `export * from 'node:${args.path}'; export { default } from 'node:${args.path}';`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const bundled = BUNDLED_PACKAGES.some((p) => args.path === p || args.path.startsWith(`${p}/`));
      return bundled ? undefined : { external: true };
    });
  },
};

/**
 * Two outputs (src/cli/start.ts says why):
 *   - dist/consul-gitops.js, the installed command, and its ES module chunks (one per lazily
 *     imported command: `--help` loads the entry and main.ts alone), for every command but the busiest;
 *   - dist/hot.cjs, the same sources as one CommonJS script, which plan, apply, validate and render
 *     run with V8's code cache (src/cli/cached-run.ts, src/cli/code-cache.ts).
 * Dependencies other than BUNDLED_PACKAGES stay in node_modules, installed by npm with the package as
 * usual, so a security fix to one of them needs no new release of this one.
 */
export async function buildCli({ outdir = `${ROOT}dist`, minify = false, metafile = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const common = { absWorkingDir: ROOT, outdir, bundle: true, platform: 'node', target: 'node20.6', minify, metafile, logLevel: 'warning' };
  const [modules] = await Promise.all([
    build({
      ...common,
      entryPoints: { 'consul-gitops': 'src/cli/start.ts' },
      chunkNames: 'chunks/[name]-[hash]',
      splitting: true,
      format: 'esm',
      plugins: [undiciClientOnly, externalExceptBundled],
    }),
    build({
      ...common,
      entryPoints: { hot: 'src/cli/run.ts' },
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      // scripts/cli-undici.mjs requires undici's files relative to itself; in a CommonJS script
      // that is the script's own file.
      define: { 'import.meta.url': '__filename' },
      // The script is one function expression, as Node wraps a CommonJS module, so the loader
      // (src/cli/cached-run.ts) compiles the file's text as read: no wrapped copy of 3 MB of source.
      banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
      footer: { js: '})' },
      plugins: [undiciClientOnly, externalExceptBundled],
    }),
  ]);
  asciiOnly(join(outdir, 'hot.cjs'));
  return modules;
}

/**
 * Escapes the few characters past ASCII that esbuild leaves in comments and regular expressions
 * (`→`, `µs`, `[“”]`) as `\uXXXX`, which means the same in both: a file of ASCII alone becomes a
 * one-byte string in V8, half the memory, and is decoded from UTF-8 in a tenth of the time
 * (about 1 ms instead of 11 for the 1.5 MB of hot.cjs, on every start).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    text.replace(/[^\t\n\r\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
