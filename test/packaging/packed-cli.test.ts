// The package as a user installs it: `npm pack` (which builds dist/ through `prepare`), the tarball
// installed into an empty directory with its production dependencies only, and the installed
// `consul-gitops` run through npx. Offline: the dependencies come from npm's cache by the exact
// versions and integrity hashes of this repository's lockfile (its non-dev entries), so a missing
// runtime dependency (say, a module the build left to tsx) fails here as it would for a user.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const OFFLINE = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let scratch: string;
let app: string;
let tarball: string;

interface LockEntry {
  dev?: boolean;
  link?: boolean;
}

/** A lockfile for a project whose one dependency is the tarball: this repository's production entries, hoisted as they are here. */
function lockFor(tgz: string): object {
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packages: Record<string, unknown> = { '': { name: 'packed-cli-user', dependencies: { 'consul-gitops': tgz } } };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
  packages['node_modules/consul-gitops'] = {
    version: pkg.version,
    resolved: tgz,
    license: pkg.license,
    dependencies: pkg.dependencies,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  return { name: 'packed-cli-user', lockfileVersion: 3, requires: true, packages };
}

function npx(args: string[], cwd = app) {
  // The installed CLI's caches (code, entries) go to the scratch directory, never the real ~/.cache.
  return run('npx', ['--no-install', 'consul-gitops', ...args], { cwd, env: { ...OFFLINE, XDG_CACHE_HOME: join(scratch, 'cache') } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'consul-gitops-packed-'));
  await run('npm', ['pack', '--pack-destination', scratch], { cwd: projectRoot, env: OFFLINE });
  tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'))!;
  app = join(scratch, 'app');
  mkdirSync(app);
  const tgz = `file:../${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'packed-cli-user', private: true, dependencies: { 'consul-gitops': tgz } }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lockFor(tgz)));
  await run('npm', ['ci'], { cwd: app, env: OFFLINE });
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }), 60_000);

// npx and a cold Node per call: slow on a busy machine, so generous time limits.
describe('the packed CLI installed into an empty directory', { timeout: 120_000 }, () => {
  it('ships the built JavaScript, not the TypeScript sources, and runs without tsx', async () => {
    const { stdout } = await run('tar', ['tzf', join(scratch, tarball)]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/dist/consul-gitops.js');
    expect(files.filter((f) => /\.ts$|^package\/(src|test|functions|infra)\//.test(f))).toEqual([]);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'consul-gitops', 'dist', 'consul-gitops.js'))).toBe(true);
  });

  it('`--help` prints the usage of every command', async () => {
    const r = await npx(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['render', 'validate', 'plan', 'apply', 'import', 'audit', 'advise', 'serve', 'dev-server', 'demo'])
      expect(r.stdout).toContain(`consul-gitops ${command}`);
    expect((await npx(['serve', '--help'])).stdout).toMatch(/^Usage: consul-gitops serve/);
  });

  it('`validate` accepts a good file and names the file and field of a bad one', async () => {
    mkdirSync(join(app, 'entries', 'service-defaults'), { recursive: true });
    writeFileSync(join(app, 'entries', 'service-defaults', 'web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');
    const good = await npx(['validate', 'entries']);
    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toContain('1 entries valid');

    writeFileSync(join(app, 'entries', 'service-defaults', 'api.hcl'), 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "sometimes"\n');
    const bad = await npx(['validate', 'entries']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('service-defaults/api.hcl:3:1: MutualTLSMode');
  });

  it('`dev-server` serves the Consul config API on loopback until stopped', async () => {
    const child = spawn('npx', ['--no-install', 'consul-gitops', 'dev-server', '--port', '0'], {
      cwd: app,
      env: { ...OFFLINE, XDG_CACHE_HOME: join(scratch, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: npx does not pass SIGTERM on to the CLI it started, so stopping npx alone
      // left the dev server running after the test (as Ctrl-C in a terminal signals the whole group).
      detached: true,
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`dev-server exited with ${code}: ${out}`)));
      });
      expect(new URL(url).hostname).toBe('127.0.0.1');
      const put = await fetch(`${url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }) });
      expect(await put.text()).toBe('true');
      const got = (await (await fetch(`${url}/v1/config/service-defaults/web`)).json()) as { Protocol: string };
      expect(got.Protocol).toBe('http');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});
