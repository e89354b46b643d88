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
