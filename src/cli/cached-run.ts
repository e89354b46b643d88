// Runs the command line from dist/hot.cjs (the CLI bundled as one CommonJS script) compiled with
// V8's code cache for this command (code-cache.ts), and leaves the cache for the next run at exit.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { constants, Script } from 'node:vm';
import { openCodeCache, sha256 } from './code-cache.ts';

/** `dir`: the built CLI's directory (dist/), which holds hot.cjs. */
export async function runCached(dir: string, command: string, argv: string[]): Promise<void> {
  // V8 refuses a cache made under other flags: the HTTP client's flag (scripts/cli-undici.mjs) is
  // set before compiling, as it was when the cache was made at the end of a run.
  setFlagsFromString('--liftoff-only');
  const file = join(dir, 'hot.cjs');
  const bytes = readFileSync(file);
  const cache = openCodeCache(bytes, command);
  // The file is one function expression (scripts/build.mjs wraps it as Node wraps a CommonJS module),
  // in ASCII alone (scripts/build.mjs asciiOnly), so the text is a one-byte string.
  const script = new Script(bytes.toString('utf8'), {
    filename: file,
    ...(cache.data ? { cachedData: cache.data } : {}),
    // `import()` inside the bundle (of packages that are ES modules) goes through Node's loader.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as { run?: (argv: string[], build?: Buffer) => Promise<void> } };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dir);
  // Written at exit, so it holds every function this run compiled; 0, 2 and 3 are plan's answers.
  process.on('exit', (code) => cache.save(script, code === 0 || code === 2 || code === 3));
  // The bundle's hash keys the entry cache (entry-cache.ts): another build may validate differently.
  await module.exports.run!(argv, sha256(bytes));
}
