// The built CLI's code-cached bundle (dist/hot.cjs) is ASCII alone: the build escapes the characters
// esbuild leaves in comments and regular expressions (scripts/build.mjs asciiOnly), so V8 holds it as
// a one-byte string. The escaped expressions must still mean what the source says: durations in µs
// and μs, and Kind names in typographic quotes, render and fail exactly as through the source.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCliInto } from '../support/built-cli.ts';
import { runCli, tempTree, type CliRun } from '../support/run-cli.ts';

const execFileAsync = promisify(execFile);

let scratch: string;

beforeAll(async () => {
  // Inside the repository (tmp/, ignored by git), so the built files resolve node_modules as dist/ does.
  mkdirSync('tmp', { recursive: true });
  scratch = mkdtempSync(join(process.cwd(), 'tmp', 'cli-ascii-bundle-test-'));
  await builtCliInto(join(scratch, 'dist'));
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function built(args: string[], cwd: string): Promise<CliRun> {
  return execFileAsync(process.execPath, [join(scratch, 'dist', 'consul-gitops.js'), ...args], {
    cwd,
    env: { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache') },
  }).then(
    (x) => ({ code: 0, ...x }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('the built CLI’s ASCII bundle', () => {
  it('holds no character past ASCII', () => {
    expect(/[^\t\n\r\x20-\x7e]/.exec(readFileSync(join(scratch, 'dist', 'hot.cjs'), 'latin1'))).toBeNull();
  });

  it('renders µs and μs durations as the source does', async () => {
    const dir = tempTree({
      'config-entries/api.hcl': 'Kind = "service-resolver"\nName = "api"\nConnectTimeout = "1500µs"\nRequestTimeout = "20μs"\n',
    });
    const viaSource = await runCli(['render', '--json'], dir);
    expect(viaSource.code, viaSource.stderr).toBe(0);
    expect(await built(['render', '--json'], dir)).toEqual(viaSource);
    expect(await built(['validate'], dir)).toEqual(await runCli(['validate'], dir));
  }, 60_000);

  it('names a Kind in typographic quotes as the source does', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "“service-defaults”"\nName = "web"\n' });
    const viaSource = await runCli(['validate'], dir);
    expect(viaSource.code).toBe(1);
    expect(await built(['validate'], dir)).toEqual(viaSource);
  }, 60_000);
});
