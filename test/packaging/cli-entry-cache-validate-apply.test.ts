// `validate` and `apply` of the built CLI keep cleanly validated files' entries as `plan` does
// (src/cli/entry-cache.ts): the next run reads them instead of parsing the file again. A user notices
// only speed: the output and exit code are an uncached run's; each of validate's targets is judged
// under its own options (a file cached for an Enterprise target is checked again once it is CE);
// `apply` reuses what a `plan` of the same target left, and leaves its own.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { builtCliWithCache } from '../support/built-cli.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const built = builtCliWithCache('cli-entry-cache-va');
const { cli } = built;
let consul: DevServer | undefined;
const cacheDir = () => join(built.cacheHome, 'consul-gitops');

const PROXY_DEFAULTS = 'Kind = "proxy-defaults"\nName = "global"\nPrioritizeByLocality {\n  Mode = "failover"\n}\n';
const TREE: Record<string, string> = {
  'config-entries/ent/proxy-defaults.hcl': PROXY_DEFAULTS,
  'config-entries/ent/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
  'config-entries/ce/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n',
  'config-entries/ce/web.json': '{"Kind": "service-defaults", "Name": "web", "Protocol": "http"}\n',
};

const targets = (entVersion: string) =>
  ['targets:', '  - name: ent', '    dir: config-entries/ent', `    consulVersion: "${entVersion}"`, '  - name: ce', '    dir: config-entries/ce', ''].join(
    '\n',
  );

afterAll(async () => {
  await consul?.close();
});

beforeEach(() => {
  built.fresh();
  for (const [name, text] of Object.entries({ 'consul-gitops.yaml': targets('2.1.0+ent'), ...TREE })) write(name, text);
});

function write(name: string, text: string): void {
  mkdirSync(join(built.work, name, '..'), { recursive: true });
  writeFileSync(join(built.work, name), text);
}

const validate = (env?: Record<string, string>) => cli(['validate', 'config-entries/ent', 'config-entries/ce'], env);
const OFF = { CONSUL_GITOPS_ENTRY_CACHE: '0' };

function entryCacheFiles(): string[] {
  try {
    return readdirSync(cacheDir())
      .filter((n) => n.startsWith('entries-'))
      .sort();
  } catch {
    return [];
  }
}

/** The cache's header: magic, a byte, the key's SHA-256, the payload's SHA-256; then one line per cached file. */
const MAGIC = 'consul-gitops entry cache 1\n';
const HEADER = MAGIC.length + 1 + 64;

/** Rewrites every entry cache's payload with `edit`, its hash made to match: as only this user (or the CLI) could. */
function editCaches(edit: (payload: string) => string): number {
  let edited = 0;
  for (const name of entryCacheFiles()) {
    const path = join(cacheDir(), name);
    const bytes = readFileSync(path);
    const before = bytes.subarray(HEADER).toString('utf8');
    const after = edit(before);
    if (after === before) continue;
    const data = Buffer.from(after);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, MAGIC.length + 1 + 32), createHash('sha256').update(data).digest(), data]));
    edited++;
  }
  return edited;
}

describe('the built CLI’s entry cache for validate', () => {
  it('the second validate reads the cache (a record changed in it shows) and says what an uncached one says', async () => {
    const first = await validate();
    expect(first, first.stderr).toEqual({ code: 0, stdout: '4 entries valid\n', stderr: '' });
    // One private cache per target.
    const files = entryCacheFiles();
    expect(files).toHaveLength(2);
    for (const f of files) expect(statSync(join(cacheDir(), f)).mode & 0o777).toBe(0o600);
    expect(await validate()).toEqual(first);
    expect(await validate(OFF)).toEqual(first);
    // Served from the cache: ce/api.hcl's record renamed to web makes a duplicate no file holds.
    expect(editCaches((p) => p.replace('"Name":"api"', '"Name":"web"'))).toBe(1);
    const fromCache = await validate();
    expect(fromCache.code).toBe(1);
    expect(fromCache.stderr).toContain('config-entries/ce/web.json:1:1: Name: service-defaults/web is defined twice: here and in config-entries/ce/api.hcl:1');
  }, 120_000);

  it('a file cached for an Enterprise target is judged again once its target is CE, and an edited file as it is now', async () => {
    expect((await validate()).code).toBe(0);
    write('consul-gitops.yaml', targets('2.1.0'));
    const ce = await validate();
    expect(ce.code).toBe(1);
    expect(ce.stderr).toMatch(/config-entries\/ent\/proxy-defaults\.hcl:4:\d+: PrioritizeByLocality\.Mode: Prioritize-by-locality requires Consul Enterprise/);
    expect(ce).toEqual(await validate(OFF));
    write('consul-gitops.yaml', targets('2.1.0+ent'));
    expect((await validate()).code).toBe(0);
    write('config-entries/ce/api.hcl', 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\nMutualTLSMode = "loose"\n');
    const edited = await validate();
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain('config-entries/ce/api.hcl:4');
    expect(edited).toEqual(await validate(OFF));
  }, 120_000);

  it('CONSUL_GITOPS_ENTRY_CACHE=0 turns it off', async () => {
    expect((await validate(OFF)).code).toBe(0);
    expect(entryCacheFiles()).toEqual([]);
  }, 60_000);
});

describe('the built CLI’s entry cache for apply', () => {
  beforeEach(async () => {
    // A fresh Consul per test: an apply writes to it.
    await consul?.close();
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });

  const plan = (env?: Record<string, string>) => cli(['plan', '--target', 'ce', '--consul', consul!.url, '--detailed-exitcode'], env);
  const apply = () => cli(['apply', '--target', 'ce', '--consul', consul!.url, '--auto-approve']);

  it('apply reads what the plan of the same target cached (a record changed in it is what is written)', async () => {
    expect((await plan()).code).toBe(2);
    // Served from the cache: api.hcl's record says tcp, its file grpc.
    expect(editCaches((p) => p.replace('"Protocol":"grpc"', '"Protocol":"tcp"'))).toBe(1);
    const applied = await apply();
    expect(applied.code, applied.stderr).toBe(0);
    const live = (await (await fetch(`${consul!.url}/v1/config/service-defaults/api`)).json()) as { Protocol?: string };
    expect(live.Protocol).toBe('tcp');
  }, 120_000);

  it('apply leaves a cache the next plan reads, and that plan is the uncached one', async () => {
    const applied = await apply();
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply: 2 applied, 0 failed');
    expect(entryCacheFiles()).toHaveLength(1);
    expect(editCaches((p) => p.replace('"Protocol":"grpc"', '"Protocol":"tcp"'))).toBe(1);
    const fromCache = await plan();
    expect(fromCache.code).toBe(2);
    expect(fromCache.stdout).toContain(`Protocol = "grpc" → "tcp"`);
    // The file's own text again: the plan matches Consul, as an uncached one says.
    write('config-entries/ce/api.hcl', 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n\n');
    const edited = await plan();
    expect(edited.code, edited.stdout).toBe(0);
    expect(edited).toEqual(await plan(OFF));
  }, 120_000);
});
