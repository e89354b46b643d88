// The built CLI keeps what a plan that writes nothing printed, under a digest of every input it was
// computed from (src/cli/plan-cache.ts), and prints it again while every input is the same. A user
// must never notice it except as speed: the printed plan is the computed one, and one input changed
// (a field changed in Consul behind our back, a file, a flag, the target's consulVersion) is planned
// afresh. A memo that is corrupt or that another user could write is never believed. The memo is
// made recognisable here (its text changed, its hash fixed), so a test can tell a replay from a plan.
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { builtCliWithCache } from '../support/built-cli.ts';
import { ROUTE, targetsYaml } from '../support/consul-version-examples.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const built = builtCliWithCache('cli-plan-cache');
let work: string;
let consul: DevServer;
let cacheHome: string;
const memoDir = () => join(cacheHome, 'consul-gitops');

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

beforeEach(async () => {
  await consul?.close();
  // Consul 1.22.5 turns the route's Weight 0 into 1 (consul-version-examples.ts): planned for 1.22.6, the file differs.
  consul = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '1.22.5' });
  ({ work, cacheHome } = built.fresh());
  write('consul-gitops.yaml', targetsYaml('1.22.5'));
  write('config-entries/web.hcl', WEB);
  write('config-entries/shop.hcl', ROUTE);
  const applied = await cli(['apply', '--auto-approve', '--consul', consul.url], { CONSUL_GITOPS_PLAN_CACHE: '0' });
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await consul?.close();
});

const cli = built.cli;

const plan = (extra: string[] = [], env?: Record<string, string>) => cli(['plan', '--consul', consul.url, '--detailed-exitcode', ...extra], env);
const computed = (extra: string[] = []) => plan(extra, { CONSUL_GITOPS_PLAN_CACHE: '0' });
const write = (name: string, text: string) => writeFileSync(join(work, name), text);

function memoFiles(): string[] {
  try {
    return readdirSync(memoDir()).filter((n) => n.startsWith('noop-plans-'));
  } catch {
    return [];
  }
}

/** A memo file: magic, a byte, the key's SHA-256, the payload's SHA-256, the payload. */
const MAGIC = 'consul-gitops plan output cache 1\n';
const KEY_END = MAGIC.length + 1 + 32;
const HEADER = KEY_END + 32;
const MARK = 'No changes, as the memo says.';

/** Rewrites the memo's printed plan so a replay shows; `hashToo: false` leaves its hash stale, as a torn write would. */
function markMemo(hashToo = true): string {
  const [file] = memoFiles();
  expect(file).toMatch(/^noop-plans-[0-9a-f]{32}\.cache$/);
  const path = join(memoDir(), file);
  const bytes = readFileSync(path);
  const payload = bytes.subarray(HEADER).toString('utf8');
  expect(payload).toContain('No changes.');
  const data = Buffer.from(payload.replace('No changes.', MARK));
  const hash = hashToo ? createHash('sha256').update(data).digest() : bytes.subarray(KEY_END, HEADER);
  writeFileSync(path, Buffer.concat([bytes.subarray(0, KEY_END), hash, data]));
  return path;
}

/** Consul's copy of web changed behind consul-gitops' back (the markers kept, so it is still ours). */
async function putWeb(protocol: string): Promise<void> {
  const live = (await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).json()) as Record<string, unknown>;
  const body = { Kind: 'service-defaults', Name: 'web', Protocol: protocol, Meta: live.Meta };
  expect(await (await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}

describe('the built CLI’s memo of a plan that writes nothing', () => {
  it('prints what the plan printed while every input is the same, and plans afresh when one changes', async () => {
    const first = await plan();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('No changes.');
    expect(first).toEqual(await computed());
    const [file] = memoFiles();
    expect(statSync(join(memoDir(), file)).mode & 0o777).toBe(0o600);
    // The same inputs: the memo is what is printed.
    markMemo();
    expect((await plan()).stdout).toContain(MARK);

    // A field changed in Consul behind our back: planned, never the memo.
    await putWeb('grpc');
    const drifted = await plan();
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toMatch(/Protocol += "grpc" -> "http"|"grpc" → "http"|grpc/);
    expect(drifted).toEqual(await computed());
    // Put back by hand: the same content, a new ModifyIndex, so Consul's answer differs: planned again.
    await putWeb('http');
    const back = await plan();
    expect(back).toEqual(first);
    markMemo();

    // A file changed: planned.
    write('config-entries/web.hcl', WEB.replace('"http"', '"http2"'));
    const edited = await plan();
    expect(edited.code).toBe(2);
    expect(edited.stdout).toContain('http2');
    // The file as it was, and Consul as it was: the same inputs as the memo's.
    write('config-entries/web.hcl', WEB);
    expect((await plan()).stdout).toContain(MARK);

    // A flag: planned.
    const pruned = await plan(['--prune']);
    expect(pruned.stdout).not.toContain(MARK);
    expect(pruned).toEqual(await computed(['--prune']));

    // The target's consulVersion: 1.22.6 keeps the route's Weight 0, which Consul (1.22.5) holds as 1.
    // (The memo now holds the --prune plan: the plain one first, marked, so only the version differs.)
    expect((await plan()).code).toBe(0);
    markMemo();
    expect((await plan()).stdout).toContain(MARK);
    write('consul-gitops.yaml', targetsYaml('1.22.6'));
    const newer = await plan();
    expect(newer.code).toBe(2);
    expect(newer.stdout).not.toContain(MARK);
    expect(newer.stdout).toContain('Weight');
    expect(newer).toEqual(await computed());
  }, 120_000);

  it('keeps no plan that writes something', async () => {
    write('config-entries/web.hcl', WEB.replace('"http"', '"tcp"'));
    expect((await plan()).code).toBe(2);
    expect(memoFiles()).toEqual([]);
  }, 60_000);

  it('a corrupt memo, or one another user could write, is ignored and written again', async () => {
    const first = await plan();
    expect(first.code).toBe(0);
    const path = markMemo(false);
    expect(await plan()).toEqual(first);
    expect(readFileSync(path).toString('utf8')).not.toContain(MARK);
    markMemo();
    chmodSync(path, 0o666);
    expect(await plan()).toEqual(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).toString('utf8')).not.toContain(MARK);
  }, 60_000);

  it('CONSUL_GITOPS_PLAN_CACHE=0 turns it off', async () => {
    expect((await computed()).code).toBe(0);
    expect(memoFiles()).toEqual([]);
  }, 60_000);
});
