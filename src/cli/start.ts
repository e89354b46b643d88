#!/usr/bin/env node
// The installed command (dist/consul-gitops.js): runs the busiest commands from one script compiled
// with V8's code cache (cached-run.ts), every other command from the ES module build (entry.ts).
//
// Starting `plan` compiles most of the CLI: its modules' top levels, then each function on its first
// call. Node 20 caches no compilation of ES modules, but V8 takes a code cache for a script compiled
// through `vm.Script`, so these commands run from dist/hot.cjs, the same sources bundled as one
// CommonJS script, with the cache their last run left (bench/scale.bench.ts, `plan`). The others keep
// the ES modules: `--help` loads this file and main.ts alone, and `serve`/`advise` import packages
// that are ES modules only, which a CommonJS script could not `require` on every Node 20 release.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Commands run from the cached script: the ones a pipeline runs on every push, over whole trees. */
const CACHED = new Set(['plan', 'apply', 'validate', 'render']);

const argv = process.argv.slice(2);
const command = argv[0] ?? '';
// CONSUL_GITOPS_CODE_CACHE=0 (no cache wanted: a CI job that keeps no ~/.cache) runs the ES modules
// as before: without a cache, compiling the whole script costs a small command more than loading
// its own modules (validate of one file: 1.14x CPU, bench/cli-start.bench.ts).
if (CACHED.has(command) && !argv.includes('--help') && !argv.includes('-h') && process.env.CONSUL_GITOPS_CODE_CACHE !== '0') {
  const { runCached } = await import('./cached-run.ts');
  await runCached(dirname(fileURLToPath(import.meta.url)), command, argv);
} else await import('./entry.ts');
