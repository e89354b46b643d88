// The built CLI (scripts/build.mjs, what `npm install` puts in dist/) reads from Consul on node:http
// and writes through undici's HTTP client alone: a `plan` (reads only) loads no undici file at all,
// whose loading cost it about 75 ms of CPU (src/adapters/consul/node-http-gets.ts); an `apply` works
// end to end and loads none of undici's fetch, WebSocket, EventSource, cache or mock modules, whose
// loading cost every command that talks to Consul about 0.15 s of CPU at start; and it loads
// undici's files with `require`, never as ES modules, which cost about 0.07 s more (scripts/cli-undici.mjs).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCliInto } from '../support/built-cli.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const run = promisify(execFile);

let scratch: string;
let consul: DevServer;

beforeAll(async () => {
  // Inside the repository (tmp/, ignored by git), so the built files resolve node_modules as dist/ does.
  mkdirSync('tmp', { recursive: true });
  scratch = mkdtempSync(join(process.cwd(), 'tmp', 'cli-undici-test-'));
  await builtCliInto(join(scratch, 'dist'));
  mkdirSync(join(scratch, 'work', 'config-entries'), { recursive: true });
  writeFileSync(join(scratch, 'work', 'config-entries', 'web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');
  // Prints, at exit, every undici file the process loaded (undici is CommonJS: require.cache holds them).
  writeFileSync(
    join(scratch, 'loaded.cjs'),
    "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).filter((p) => p.includes('/undici/'))) + '\\n'));\n",
  );
  // Records every undici file resolved as an ES module (module.register hooks see `import`, not `require`).
  writeFileSync(
    join(scratch, 'esm-hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  if (r.url.includes('/undici/')) appendFileSync(new URL('./esm-undici.log', import.meta.url), r.url + '\\n');\n  return r;\n}\n",
  );
  writeFileSync(join(scratch, 'esm-register.mjs'), "import { register } from 'node:module';\nregister('./esm-hooks.mjs', import.meta.url);\n");
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await consul?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A command (`plan` by default) through the built CLI with extra Node flags (a loader hook); its exit code, stdout, stderr. */
function builtPlan(nodeArgs: string[], command = ['plan', '--detailed-exitcode']): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [...nodeArgs, join(scratch, 'dist', 'consul-gitops.js'), ...command, '--consul', consul.url], {
    cwd: join(scratch, 'work'),
    // The built CLI's caches (code, entries) go to the scratch directory, never the real ~/.cache.
    env: { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache') },
  }).then(
    (x) => ({ code: 0, ...x }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('the built CLI', () => {
  it('plans against Consul loading no undici file at all (every request of a plan is a read, on node:http), and warns of nothing', async () => {
    const r = await builtPlan(['--require', join(scratch, 'loaded.cjs')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('+ create service-defaults/web');
    // Nothing else on stderr: no warning from Node (one abort signal shared by more than ten requests once printed one).
    expect(r.stderr.replace(/^LOADED .*\n/m, '')).toBe('');
    expect(JSON.parse(/LOADED (.*)/.exec(r.stderr)![1])).toEqual([]);
  }, 60_000);

  it("applies with undici's HTTP client, loading none of its fetch, WebSocket, EventSource, cache or mock modules, and warns of nothing", async () => {
    const r = await builtPlan(['--require', join(scratch, 'loaded.cjs')], ['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+ create service-defaults/web');
    expect(r.stderr.replace(/^LOADED .*\n/m, '')).toBe('');
    const loaded = JSON.parse(/LOADED (.*)/.exec(r.stderr)![1]) as string[];
    expect(loaded.some((p) => p.endsWith('/undici/lib/dispatcher/agent.js'))).toBe(true);
    expect(loaded.filter((p) => p.endsWith('/undici/index.js') || /\/undici\/lib\/(web|mock|cache|interceptor\/cache)\//.test(p))).toEqual([]);
    // The entry is in Consul: the write went through.
    expect(await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).json()).toMatchObject({ Name: 'web', Protocol: 'http' });
  }, 60_000);

  it("loads undici's files with require, none as an ES module (Node scans each such file's source for its exports first)", async () => {
    // An apply that writes (the entry the test before wrote is gone first): only a write loads undici.
    await fetch(`${consul.url}/v1/config/service-defaults/web`, { method: 'DELETE' });
    const r = await builtPlan(['--import', join(scratch, 'esm-register.mjs')], ['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+ create service-defaults/web');
    expect(existsSync(join(scratch, 'esm-undici.log')) ? readFileSync(join(scratch, 'esm-undici.log'), 'utf8') : '').toBe('');
  }, 60_000);
});
