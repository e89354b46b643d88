// The CLI as scripts/build.mjs builds it for `npm install`, built once per test run and copied into
// each test file's own directory: the build is the same for every file that runs it (about 5 s of
// esbuild on two busy cores each time), and a copy of its own lets a file change its bundle (a
// changed hot.cjs) without touching another's. The build itself is test/support/build-cli-once.ts.
import { cpSync } from 'node:fs';
import { inject } from 'vitest';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { buildCli as buildCliUntyped } from '../../scripts/build.mjs';

const buildCli = buildCliUntyped as (o: { outdir: string }) => Promise<unknown>;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory build-cli-once.ts built the CLI into (its dist/), read-only for the tests. */
    builtCliDir?: string;
  }
}

/**
 * Puts the built CLI (consul-gitops.js, hot.cjs, chunks/) in `outdir`, as `buildCli({ outdir })`
 * would: a copy of this run's build, or a build of its own when the file runs without the run's
 * setup (vitest.config.ts gives it to every file that imports this module).
 */
export async function builtCliInto(outdir: string): Promise<void> {
  const built = inject('builtCliDir');
  if (built === undefined) await buildCli({ outdir });
  else cpSync(built, outdir, { recursive: true });
}
