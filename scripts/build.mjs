// Builds the command line to JavaScript (dist/), so the installed `consul-gitops` starts on plain
// Node with no TypeScript loader; npm runs it as `prepare` on install and before `npm pack`.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  const [modules, hot] = await Promise.all([
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
      metafile: true,
    }),
  ]);
  const esOnly = esOnlyRequiresOfHotCommands(hot.metafile);
  if (esOnly.length)
    throw new Error(
      `dist/hot.cjs would require ES-module-only packages on the way of ${[...HOT_COMMAND_MODULES].join(', ')}, which Node 20 cannot require (the command would crash at start):\n${esOnly.join('\n')}\nimport them with \`await import()\` where they are needed, or keep the command out of start.ts's CACHED set`,
    );
  asciiOnly(join(outdir, 'hot.cjs'));
  return modules;
}

/**
 * The command modules dist/hot.cjs runs (src/cli/start.ts CACHED: plan and apply, validate and
 * render): what src/cli/main.ts imports for them. main.ts's other commands are bundled in hot.cjs
 * too but never run from it (start.ts sends them to the ES module build).
 */
const HOT_COMMAND_MODULES = new Set(['src/cli/plan-command.ts', 'src/cli/render-command.ts']);

/**
 * Every external package that dist/hot.cjs would `require` on the way of a cached command and that
 * is an ES module only (its `require` condition missing, or resolving to ES module code): a static
 * import of one, bundled as CommonJS, becomes a `require` that Node 20 refuses (ERR_REQUIRE_ESM),
 * and the CLI would crash at run time, not at build time. `import()` stays `import()` (cached-run.ts
 * hands it to Node's loader) and is allowed. Each as "package <- module that imports it".
 */
export function esOnlyRequiresOfHotCommands(metafile) {
  const inputs = metafile.inputs;
  const reached = new Set(['src/cli/run.ts']);
  const queue = ['src/cli/run.ts'];
  const found = [];
  const requireFrom = createRequire(join(ROOT, 'package.json'));
  while (queue.length) {
    const file = queue.pop();
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.external) {
        if (imp.kind === 'dynamic-import' || imp.path.startsWith('node:') || builtinModules.includes(imp.path)) continue;
        if (isEsOnly(requireFrom, imp.path)) found.push(`  ${imp.path} <- ${file}`);
        continue;
      }
      if (imp.kind === 'dynamic-import' && file === 'src/cli/main.ts' && !HOT_COMMAND_MODULES.has(imp.path)) continue;
      if (!reached.has(imp.path)) {
        reached.add(imp.path);
        queue.push(imp.path);
      }
    }
  }
  for (const m of HOT_COMMAND_MODULES)
    if (!reached.has(m)) throw new Error(`scripts/build.mjs: ${m} (HOT_COMMAND_MODULES) is no longer imported by src/cli/main.ts`);
  return found;
}

/** Whether `require(specifier)` from the project would load an ES module (or cannot resolve for `require` at all). */
function isEsOnly(requireFrom, specifier) {
  let file;
  try {
    file = requireFrom.resolve(specifier);
  } catch (e) {
    // No `require` condition in its exports (ERR_PACKAGE_PATH_NOT_EXPORTED): import-only.
    return e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs') || !file.endsWith('.js')) return false;
  // A .js file is an ES module when its nearest package.json says "type": "module".
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    return pkg.type === 'module';
  }
  return false;
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
