// The esbuild settings every Lambda bundle shares, in one place for the stack (reconciler-function.ts)
// and the bundle benchmark and test, so what is measured is what is deployed.
import { join } from 'node:path';

/** ESM output may still meet CommonJS `require` inside bundled dependencies. */
export const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Package substitutions (esbuild `alias`): `undici` becomes its HTTP client alone
 * (scripts/lambda-undici.mjs), leaving out fetch, WebSocket, caches and mocks, which no
 * function uses: about 230 KiB less in the reconcile bundle; `octokit` becomes its Octokit class alone
 * (scripts/lambda-octokit.mjs), without App, OAuth and webhook handling.
 */
export function lambdaAliases(projectRoot: string): Record<string, string> {
  return { undici: join(projectRoot, 'scripts', 'lambda-undici.mjs'), octokit: join(projectRoot, 'scripts', 'lambda-octokit.mjs') };
}

/**
 * Modules of undici no function reaches, left out of every bundle (esbuild `external`: the require
 * stays in the code and would throw "Cannot find module" if it were ever reached). 114 KiB of the
 * reconcile bundle.
 * - `llhttp/llhttp_simd-wasm.js` (71 KiB): client-h1.js `lazyllhttp` tries this SIMD build of
 *   llhttp inside a try/catch and falls back to `llhttp-wasm.js`, which stays: the same HTTP parser
 *   without SIMD (as undici itself runs on ppc64 or with UNDICI_NO_WASM_SIMD=1).
 * - `web/fetch/body.js` with the WebIDL, FormData parser and data: URL modules only it pulls
 *   (43 KiB): client-h1.js and client-h2.js load it only to send a FormData body, and the functions
 *   send strings and buffers.
 * Paths as esbuild matches them (wildcard before the import path); CDK passes them without a shell.
 */
export const LAMBDA_LEFT_OUT: readonly string[] = ['*/llhttp/llhttp_simd-wasm.js', '*/web/fetch/body.js'];
