// The built CLI runs plan, apply, validate and render from one script compiled with V8's code cache
// (src/cli/start.ts, src/cli/code-cache.ts), kept in the user's cache directory. A user must never
// notice it except as speed: the first run writes it privately, later runs use it as it is, and a
// cache that is corrupt, made for another build, or writable by another user is never run.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtCliWithCache } from '../support/built-cli.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const built = builtCliWithCache('cli-code-cache');
const { cli } = built;
let consul: DevServer;
const cacheDir = () => join(built.cacheHome, 'consul-gitops');

beforeAll(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await consul?.close();
});

beforeEach(() => {
  built.fresh();
  writeFileSync(join(built.work, 'config-entries', 'web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');
});

const plan = (env?: Record<string, string>) => cli(['plan', '--consul', consul.url, '--detailed-exitcode'], env);

/** The code cache files, each with what tells a rewrite apart (inode and change time) and its mode. */
function cacheFiles(): { name: string; ino: number; ctimeNs: bigint; mode: number }[] {
  let names: string[];
  try {
    // The entry cache (src/cli/entry-cache.ts, test/packaging/cli-entry-cache.test.ts) shares the directory.
    names = readdirSync(cacheDir()).filter((n) => n.endsWith('.v8cache'));
  } catch {
    return [];
  }
  return names.map((name) => {
    const s = statSync(join(cacheDir(), name), { bigint: true });
    return { name, ino: Number(s.ino), ctimeNs: s.ctimeNs, mode: Number(s.mode) & 0o777 };
  });
}

const PLANNED = '+ create service-defaults/web';

describe('the built CLI’s code cache', () => {
  it('the first plan writes it (mode 0600, in a 0700 directory); the next plans use it as it is, with the same output', async () => {
    const first = await plan();
    expect(first, first.stderr).toMatchObject({ code: 2, stderr: '' });
    expect(first.stdout).toContain(PLANNED);
    const written = cacheFiles();
    expect(written).toHaveLength(1);
    expect(written[0].name).toMatch(/^plan-[0-9a-f]{32}\.v8cache$/);
    expect(written[0].mode).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    // V8 accepted it: a cache it refuses (made under other flags, another V8) is written again.
    for (let i = 0; i < 2; i++) {
      const again = await plan();
      expect(again).toEqual(first);
      expect(cacheFiles()).toEqual(written);
    }
  }, 60_000);

  it('each command has its own; --help and other commands run without one', async () => {
    const v = await cli(['validate']);
    expect(v).toMatchObject({ code: 0, stderr: '' });
    expect((await cli(['plan', '--help'])).stdout).toMatch(/^Usage:/);
    expect((await cli(['--help'])).stdout).toMatch(/^consul-gitops/);
    expect(cacheFiles().map((f) => f.name)).toEqual([expect.stringMatching(/^validate-[0-9a-f]{32}\.v8cache$/)]);
  }, 60_000);

  it('apply runs from it too, twice, and then plan has nothing to do', async () => {
    // Its own dev server: the other cases plan a create against theirs.
    const own = await startDevServer({ port: 0, host: '127.0.0.1' });
    try {
      for (let i = 0; i < 2; i++) {
        const applied = await cli(['apply', '--consul', own.url, '--auto-approve']);
        expect(applied, applied.stderr).toMatchObject({ code: 0, stderr: '' });
        expect(applied.stdout).toContain(i === 0 ? 'service-defaults/web' : 'No changes');
      }
      expect(cacheFiles().map((f) => f.name)).toEqual([expect.stringMatching(/^apply-[0-9a-f]{32}\.v8cache$/)]);
      const after = await cli(['plan', '--consul', own.url, '--detailed-exitcode']);
      expect(after).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await own.close();
    }
  }, 60_000);

  it('a corrupt cache is never handed to V8: the plan is the same and the cache is written again', async () => {
    const first = await plan();
    const [file] = cacheFiles();
    const path = join(cacheDir(), file.name);
    const bytes = readFileSync(path);
    // Bytes in the middle of V8's data flipped, as a torn disk write or a bad sector would leave them.
    for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 4096; i++) bytes[i] ^= 0x5a;
    writeFileSync(path, bytes);
    const ctimeNs = statSync(path, { bigint: true }).ctimeNs;
    const again = await plan();
    expect(again).toEqual(first);
    const [rewritten] = cacheFiles();
    expect(rewritten.name).toBe(file.name);
    expect(rewritten.ctimeNs).not.toBe(ctimeNs);
    expect(readFileSync(path).equals(bytes)).toBe(false);
    // Truncated to its header, then to nothing: the same.
    for (const length of [80, 0]) {
      writeFileSync(path, bytes.subarray(0, length));
      expect(await plan()).toEqual(first);
      expect(statSync(path).size).toBeGreaterThan(1000);
    }
  }, 60_000);

  it('a cache made for another build of the same length is not run: a changed bundle prints its own texts', async () => {
    const first = await plan();
    expect(first.stdout).toContain('Plan: 1 to create');
    const [before] = cacheFiles();
    // A patched bundle (patch-package, a hand edit) of exactly the same length: V8 itself compares lengths only.
    const bundle = join(built.dist(), 'hot.cjs');
    const original = readFileSync(bundle, 'utf8');
    const text = '${s.create} to create, ${s.update}';
    expect(original.split(text).length).toBe(2);
    writeFileSync(bundle, original.replace(text, text.replace(' to create,', ' to CREATE,')));
    try {
      const patched = await plan();
      expect(patched.code).toBe(2);
      expect(patched.stdout).toContain('Plan: 1 to CREATE');
      // Its own cache, in place of the other build's.
      expect(cacheFiles().map((f) => f.name)).toEqual([expect.not.stringMatching(before.name)]);
      expect(cacheFiles()[0].name).toMatch(/^plan-/);
    } finally {
      writeFileSync(bundle, original);
    }
  }, 60_000);

  it('a cache file or directory that another user could write is not trusted', async () => {
    const first = await plan();
    const [file] = cacheFiles();
    const path = join(cacheDir(), file.name);
    chmodSync(path, 0o666);
    expect(await plan()).toEqual(first);
    // Replaced by a private file of our own, never used as it was.
    const [replaced] = cacheFiles();
    expect(replaced.mode).toBe(0o600);
    expect(replaced.ctimeNs).not.toBe(file.ctimeNs);

    rmSync(cacheDir(), { recursive: true });
    mkdirSync(cacheDir(), { mode: 0o777 });
    chmodSync(cacheDir(), 0o777);
    expect(await plan()).toEqual(first);
    expect(cacheFiles()).toEqual([]);
  }, 60_000);

  it('CONSUL_GITOPS_CODE_CACHE=0 turns it off, and a cache directory that cannot be made costs nothing but speed', async () => {
    const first = await plan({ CONSUL_GITOPS_CODE_CACHE: '0' });
    expect(first).toMatchObject({ code: 2, stderr: '' });
    expect(cacheFiles()).toEqual([]);
    // XDG_CACHE_HOME names a file: no directory can be made below it.
    writeFileSync(join(built.cacheHome, 'file'), '');
    expect(await plan({ XDG_CACHE_HOME: join(built.cacheHome, 'file') })).toEqual(first);
  }, 60_000);
});
