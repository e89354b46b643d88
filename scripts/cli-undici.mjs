// What the built CLI gets when source code imports `undici` (scripts/build.mjs): undici's HTTP
// client alone (scripts/undici-client.mjs), its modules loaded from node_modules at run time, so a
// fix to undici reaches CLI users with `npm update`, no release of consul-gitops needed.
//
// Loaded with `require`, not `import`: when an ES module imports a CommonJS one, Node first scans
// the source of each for its export names (cjs-module-lexer, following re-exports) and wraps it
// as an ES module; `require` runs it directly. That was two thirds of undici's loading, about 0.07 s
// of CPU at every start of a command that talks to Consul (bench/cli-start.bench.ts, `plan`).
//
// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 compiles it at once with its baseline
// compiler (Liftoff), then recompiles its hot parser function with TurboFan on a background thread:
// about 0.25 s of CPU, and a process cannot exit before that thread is done, so every command that
// talks to Consul waited for it after its last output. Liftoff's code parses the few megabytes of
// a 10,000-entry plan's answers in far less (bench/cli-start.bench.ts and bench/scale.bench.ts,
// `plan`). The flag is set before undici compiles llhttp (on its first connection) and holds for the
// whole process: any other WebAssembly it compiles (none in plan or apply) stays on Liftoff too.
//
// Named exports, as in scripts/lambda-undici.mjs, so esbuild fails the build if source code starts
// importing a name this file lacks.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { undiciClient } from './undici-client.mjs';

setFlagsFromString('--liftoff-only');

// In dist/hot.cjs (one CommonJS script, scripts/build.mjs) `import.meta.url` is defined as that
// script's own file, so undici resolves from the same node_modules either way.
const require = createRequire(import.meta.url);
const Agent = require('undici/lib/dispatcher/agent.js');
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
const errors = require('undici/lib/core/errors.js');

const client = undiciClient({
  Agent,
  Dispatcher,
  api: require('undici/lib/api/index.js'),
  errors,
  util: require('undici/lib/core/util.js'),
  globalDispatcher: require('undici/lib/global.js'),
});

export const { getGlobalDispatcher, setGlobalDispatcher, request, stream } = client;
export { Agent, Dispatcher, errors };
