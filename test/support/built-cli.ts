// The CLI as scripts/build.mjs builds it for `npm install`, built once per test run and copied into
// each test file's own directory: the build is the same for every file that runs it (about 5 s of
// esbuild on two busy cores each time), and a copy of its own lets a file change its bundle (a
// changed hot.cjs) without touching another's. The build itself is test/support/build-cli-once.ts.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, inject } from 'vitest';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { buildCli as buildCliUntyped } from '../../scripts/build.mjs';

const buildCli = buildCliUntyped as (o: { outdir: string }) => Promise<unknown>;
const execFileAsync = promisify(execFile);

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

export interface BuiltCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI in a scratch directory of the test file's own (under tmp/ inside the repository, so
 * the built files resolve node_modules as dist/ does), removed after the file; `fresh()` (in a
 * beforeEach) gives each test an empty cache home (XDG_CACHE_HOME) and a working tree holding an
 * empty config-entries/. `cli` runs the CLI there as a user would, in a process of its own.
 */
export function builtCliWithCache(name: string) {
  let scratch = '';
  const fixture = {
    work: '',
    cacheHome: '',
    /** The built CLI's directory (consul-gitops.js, hot.cjs, chunks/), once the file's beforeAll ran. */
    dist: (): string => join(scratch, 'dist'),
    fresh: (): { work: string; cacheHome: string } => {
      fixture.cacheHome = mkdtempSync(join(scratch, 'cache-home-'));
      fixture.work = mkdtempSync(join(scratch, 'work-'));
      mkdirSync(join(fixture.work, 'config-entries'));
      return { work: fixture.work, cacheHome: fixture.cacheHome };
    },
    cli: (args: string[], env: Record<string, string> = {}): Promise<BuiltCliRun> =>
      execFileAsync(process.execPath, [join(scratch, 'dist', 'consul-gitops.js'), ...args], {
        cwd: fixture.work,
        env: { ...process.env, XDG_CACHE_HOME: fixture.cacheHome, ...env },
      }).then(
        (x) => ({ code: 0, stdout: x.stdout, stderr: x.stderr }),
        (e: BuiltCliRun) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      ),
  };
  beforeAll(async () => {
    mkdirSync('tmp', { recursive: true });
    scratch = mkdtempSync(join(process.cwd(), 'tmp', `${name}-test-`));
    await builtCliInto(join(scratch, 'dist'));
  }, 120_000);
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });
  return fixture;
}
