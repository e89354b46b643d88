// The built CLI's `plan` keeps each cleanly validated file's entries in the user's cache directory
// (src/cli/entry-cache.ts), keyed by the file's path and text: the next plan reads them instead of
// parsing the file again. A user must never notice it except as speed: the plan, its warnings with
// their file:line:column, its errors and its JSON are exactly an uncached run's, a file edited since
// is read as it is now, and a cache that is corrupt or writable by another user is never used.
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtCliWithCache } from '../support/built-cli.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const built = builtCliWithCache('cli-entry-cache');
let work: string;
let consul: DevServer;
let cacheHome: string;
const cacheDir = () => join(cacheHome, 'consul-gitops');

/**
 * A tree with what a cached entry must carry exactly: positions of nested fields (the 2.0 target's
 * version warnings name them), an explicit zero and an empty block (both written out by a create),
 * JSON, YAML and a CRD, and a duplicate key (a decode warning: that file is never cached).
 */
const TREE: Record<string, string> = {
  'web.hcl': `Kind = "service-defaults"
Name = "web"
Protocol = "http"
UpstreamConfig {
  Defaults {
    Limits {
      MaxConnections = 0
      PassiveHealthCheck { MaxFailures = 2 }
    }
  }
}
`,
  'api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\nTransparentProxy {}\n',
  'intentions.json': '{"Kind": "service-intentions", "Name": "api", "Sources": [{"Name": "web", "Action": "allow"}]}\n',
  'router.yaml': 'Kind: service-router\nName: web\nRoutes:\n  - Match:\n      HTTP:\n        PathPrefix: /v2\n    Destination:\n      PrefixRewrite: /\n',
  'crd.yaml': 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceResolver\nmetadata:\n  name: api\nspec:\n  connectTimeout: 15s\n  requestTimeout: 0s\n',
  'twice.hcl': 'Kind = "service-defaults"\nName = "db"\nProtocol = "tcp"\nProtocol = "http"\n',
};

beforeAll(async () => {
  // A 2.0 Consul: PassiveHealthCheck (2.1) is warned of with its file:line:column.
  consul = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '2.0.3' });
});

afterAll(async () => {
  await consul?.close();
});

beforeEach(() => {
  ({ work, cacheHome } = built.fresh());
  for (const [name, text] of Object.entries(TREE)) writeFileSync(join(work, 'config-entries', name), text);
});

const cli = built.cli;

const plan = (extra: string[] = [], env?: Record<string, string>) => cli(['plan', '--consul', consul.url, '--detailed-exitcode', ...extra], env);
const uncached = (extra: string[] = []) => plan(extra, { CONSUL_GITOPS_ENTRY_CACHE: '0' });

function entryCacheFiles(): string[] {
  try {
    return readdirSync(cacheDir()).filter((n) => n.startsWith('entries-'));
  } catch {
    return [];
  }
}

const write = (name: string, text: string) => writeFileSync(join(work, 'config-entries', name), text);

/** The cache's lines after its header (magic, a byte, two SHA-256s): one per cached file. */
const MAGIC = 'consul-gitops entry cache 1\n';
const HEADER = MAGIC.length + 1 + 64;

describe('the built CLI’s entry cache', () => {
  it('a plan from the cache is the uncached plan: text, warnings with positions, exit code and --json', async () => {
    const first = await plan();
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toContain('config-entries/web.hcl:8: UpstreamConfig.Defaults.Limits.PassiveHealthCheck');
    expect(first.stderr).toContain('config-entries/twice.hcl:4:1');
    const [file] = entryCacheFiles();
    expect(file).toMatch(/^entries-[0-9a-f]{32}\.cache$/);
    expect(statSync(join(cacheDir(), file)).mode & 0o777).toBe(0o600);
    // Five files cached; the one with a warning is parsed every time.
    expect(readFileSync(join(cacheDir(), file)).subarray(HEADER).toString('utf8').split('\n')).toHaveLength(5);
    const cached = await plan();
    expect(cached).toEqual(first);
    expect(await uncached()).toEqual(first);
    const json = await plan(['--json']);
    expect(json.code).toBe(2);
    expect(json).toEqual(await uncached(['--json']));
  }, 120_000);

  it('the plan is served from the cache (a record changed in it, hash and all, shows), and a file edited since is read as it is now', async () => {
    await plan();
    const [file] = entryCacheFiles();
    const path = join(cacheDir(), file);
    const bytes = readFileSync(path);
    const payload = bytes.subarray(HEADER).toString('utf8').replace('"Protocol":"grpc"', '"Protocol":"tcp"');
    const data = Buffer.from(payload);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, MAGIC.length + 1 + 32), createHash('sha256').update(data).digest(), data]));
    expect((await plan()).stdout).toMatch(/Protocol += "tcp"/);
    // The file's text decides: api.hcl edited (its record in the cache is stale) is planned as written.
    write('api.hcl', 'Kind = "service-defaults"\nName = "api"\nProtocol = "http2"\nTransparentProxy {}\n');
    const edited = await plan();
    expect(edited.stdout).toMatch(/Protocol += "http2"/);
    expect(edited.stdout).not.toMatch(/Protocol += "tcp"/);
    expect(edited).toEqual(await uncached());
  }, 120_000);

  it('errors come out as uncached: a new file refused, a duplicate of a cached entry, a cached file edited into an error', async () => {
    expect((await plan()).code).toBe(2);
    write('mesh.hcl', 'Kind = "proxy-defaults"\nName = "local"\n');
    write('again.json', '{"Kind": "service-defaults", "Name": "WEB", "Protocol": "http"}\n');
    const refused = await plan();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('config-entries/mesh.hcl');
    expect(refused.stderr).toContain('is defined twice');
    expect(refused).toEqual(await uncached());
    write('router.yaml', 'Kind: service-router\nName: web\nRoutes:\n  - Match:\n      HTTP:\n        PathPrefx: /v2\n');
    const decodeError = await plan();
    expect(decodeError.stderr).toContain('config-entries/router.yaml:6');
    expect(decodeError).toEqual(await uncached());
  }, 120_000);

  it('a file the plan warns of for the newest Consul source is not cached: the second plan shows the warning too', async () => {
    write('proto.hcl', 'Kind = "service-defaults"\nName = "proto"\nProtocol = "HTTP3"\n');
    const warning = 'config-entries/proto.hcl:3: Protocol: the newest Consul source refuses this write with "invalid value for protocol: http3"';
    const first = await plan();
    expect(first.stdout).toContain(warning);
    // The five clean files of TREE, not proto.hcl (nor twice.hcl, which has a decode warning).
    const [file] = entryCacheFiles();
    const lines = readFileSync(join(cacheDir(), file)).subarray(HEADER).toString('utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.join('\n')).not.toContain('"proto"');
    const second = await plan();
    expect(second.stdout).toContain(warning);
    expect(second).toEqual(first);
    expect(await plan(['--json'])).toEqual(await uncached(['--json']));
  }, 120_000);

  it('a corrupt cache, or one another user could write, is ignored and written again', async () => {
    const first = await plan();
    const [file] = entryCacheFiles();
    const path = join(cacheDir(), file);
    const bytes = readFileSync(path);
    // A record changed without its hash, as a torn write or a bad sector would leave it.
    writeFileSync(path, Buffer.from(bytes.toString('latin1').replace('"Protocol":"grpc"', '"Protocol":"tcp"'), 'latin1'));
    expect(await plan()).toEqual(first);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    writeFileSync(path, Buffer.from(bytes.toString('latin1').replace('"Protocol":"grpc"', '"Protocol":"tcp"'), 'latin1'));
    chmodSync(path, 0o666);
    expect(await plan()).toEqual(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('CONSUL_GITOPS_ENTRY_CACHE=0 turns it off', async () => {
    const first = await uncached();
    expect(first.code).toBe(2);
    expect(entryCacheFiles()).toEqual([]);
  }, 60_000);
});
