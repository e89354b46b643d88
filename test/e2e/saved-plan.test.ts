// `plan --out FILE` then `apply FILE`: exactly the reviewed plan is applied, or apply refuses and
// says precisely why (Consul changed, plan too old, another target, file edited), changing nothing.
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { tempTree, type CliRun } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const T0 = new Date('2026-11-25T12:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

async function run(
  cmd: typeof planCommand,
  args: string[],
  cwd: string,
  options: { now?: Date; consul?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd };
  const code = await cmd([...args, '--consul', options.consul ?? server.url], io, { env: options.env ?? {}, now: () => options.now ?? T0 });
  return { code, stdout, stderr };
}

const tree = (protocol: string) =>
  tempTree({
    'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n`,
    'config-entries/web.hcl': `Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n`,
  });

async function put(entry: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(res.status).toBe(200);
}

async function live(name: string): Promise<{ Protocol?: string; ModifyIndex: number } | undefined> {
  const res = await fetch(`${server.url}/v1/config/service-defaults/${name}`);
  return res.status === 404 ? undefined : ((await res.json()) as { Protocol?: string; ModifyIndex: number });
}

/** A tree already applied (api: http), then a saved plan changing api to grpc. */
async function savedPlanFor(): Promise<string> {
  const dir = tree('http');
  expect((await run(applyCommand, [], dir)).code).toBe(0);
  writeFileSync(join(dir, 'config-entries/api.hcl'), 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n');
  const planned = await run(planCommand, ['--out', 'api.tfplan'], dir);
  expect(planned.stderr).toBe('');
  expect(planned.code).toBe(0);
  expect(planned.stdout).toContain('Saved the plan to api.tfplan. To apply exactly this plan: consul-gitops apply api.tfplan');
  return dir;
}

describe('plan --out FILE, apply FILE', () => {
  it('applies exactly the saved plan, even when the files changed since', async () => {
    const dir = await savedPlanFor();
    // Someone edits the file after the review: the reviewed plan (grpc) is applied, not the file.
    writeFileSync(join(dir, 'config-entries/api.hcl'), 'Kind = "service-defaults"\nName = "api"\nProtocol = "tcp"\n');
    const applied = await run(applyCommand, ['api.tfplan'], dir, { now: minutes(10) });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply: 1 applied, 0 failed, 0 conflicts, 0 not attempted.');
    expect((await live('api'))?.Protocol).toBe('grpc');
    expect((await live('web'))?.Protocol).toBe('http');
  });

  it('writes a versioned file readable by its owner only, with the target, every ModifyIndex read, the tree hash, and no token', async () => {
    const dir = tree('http');
    const planned = await run(planCommand, ['--out', 'p.json'], dir, { env: { CONSUL_HTTP_TOKEN: 'secret-token-4711' } });
    expect(planned.code).toBe(0);
    const text = readFileSync(join(dir, 'p.json'), 'utf8');
    expect(text).not.toContain('secret-token-4711');
    expect(statSync(join(dir, 'p.json')).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(text);
    expect(saved).toMatchObject({ format: 'consul-gitops-plan', version: 1, createdAt: T0.toISOString(), target: { name: 'default', address: server.url } });
    expect(saved.source.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.read).toEqual([]);
    await put({ Kind: 'service-defaults', Name: 'other', Protocol: 'tcp' });
    const again = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect((await run(planCommand, ['--out', 'p.json'], dir)).code).toBe(0);
    const reread = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect(again.read).toEqual([]);
    expect(reread.read).toEqual([
      { id: { kind: 'service-defaults', name: 'other', namespace: '', partition: '' }, modifyIndex: (await live('other'))!.ModifyIndex },
    ]);
  });
});

describe('apply FILE refuses, changing nothing', () => {
  it('when an entry changed in Consul since the plan, naming it and both ModifyIndexes', async () => {
    const dir = await savedPlanFor();
    const before = (await live('web'))!.ModifyIndex;
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http2' });
    const after = (await live('web'))!.ModifyIndex;
    const r = await run(applyCommand, ['api.tfplan'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: api.tfplan: Consul changed since the plan was made');
    expect(r.stderr).toContain(`service-defaults/web: changed since the plan (ModifyIndex ${before} → ${after})`);
    expect(r.stderr).toContain('Nothing was applied.');
    expect((await live('api'))?.Protocol).toBe('http');
  });

  it('when an entry was created or deleted in Consul since the plan', async () => {
    const dir = await savedPlanFor();
    await put({ Kind: 'service-defaults', Name: 'newcomer', Protocol: 'tcp' });
    expect((await fetch(`${server.url}/v1/config/service-defaults/web`, { method: 'DELETE' })).status).toBe(200);
    const r = await run(applyCommand, ['api.tfplan'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('service-defaults/newcomer: created since the plan');
    expect(r.stderr).toMatch(/service-defaults\/web: deleted since the plan \(it had ModifyIndex \d+\)/);
    expect((await live('api'))?.Protocol).toBe('http');
  });

  it('when the plan is older than --max-plan-age (default 1h), and applies within a larger one', async () => {
    const dir = await savedPlanFor();
    const late = await run(applyCommand, ['api.tfplan'], dir, { now: minutes(61) });
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('the plan was made at 2026-11-25T12:00:00.000Z, 61m ago, more than --max-plan-age 60m: make the plan again and review it');
    expect((await live('api'))?.Protocol).toBe('http');
    const tight = await run(applyCommand, ['api.tfplan', '--max-plan-age', '5m'], dir, { now: minutes(6) });
    expect(tight.code).toBe(1);
    expect(tight.stderr).toContain('more than --max-plan-age 5m');
    const loose = await run(applyCommand, ['api.tfplan', '--max-plan-age', '2h'], dir, { now: minutes(61) });
    expect(loose.stderr).toBe('');
    expect(loose.code).toBe(0);
    expect((await live('api'))?.Protocol).toBe('grpc');
  });

  it('when the plan was made for another Consul', async () => {
    const dir = await savedPlanFor();
    const other = await startDevServer({ port: 0, host: '127.0.0.1' });
    try {
      const r = await run(applyCommand, ['api.tfplan'], dir, { consul: other.url });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the plan was made for another target: Consul ${server.url} in the plan, ${other.url} now`);
      const res = await fetch(`${other.url}/v1/config/service-defaults`);
      expect(await res.json()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('when the file was edited after plan --out wrote it', async () => {
    const dir = await savedPlanFor();
    const path = join(dir, 'api.tfplan');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"grpc"', '"tcp"'));
    const r = await run(applyCommand, ['api.tfplan'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: api.tfplan: the content does not match its sha256');
    expect(r.stderr).toContain('the file was edited after `plan --out` wrote it');
    expect((await live('api'))?.Protocol).toBe('http');
  });

  it('when the file is not a saved plan, or of another format version', async () => {
    const dir = await savedPlanFor();
    const path = join(dir, 'api.tfplan');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(join(dir, 'v2.plan'), JSON.stringify({ ...saved, version: 2 }));
    writeFileSync(join(dir, 'junk.plan'), '{"Kind": "service-defaults"}');
    const v2 = await run(applyCommand, ['v2.plan'], dir);
    expect(v2.code).toBe(1);
    expect(v2.stderr).toContain('error: v2.plan: saved plan format version 2; this consul-gitops reads version 1');
    const junk = await run(applyCommand, ['junk.plan'], dir);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('error: junk.plan: not a consul-gitops saved plan');
    const missing = await run(applyCommand, ['nope.plan'], dir);
    expect(missing.stderr).toContain('error: nope.plan: cannot read the plan: ENOENT');
    expect((await live('api'))?.Protocol).toBe('http');
  });

  it('when flags that shape a plan are given with it', async () => {
    const dir = await savedPlanFor();
    const r = await run(applyCommand, ['api.tfplan', '--prune', '--dir', 'elsewhere'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--dir, --prune cannot be given with a saved plan: api.tfplan already says what to apply');
    expect((await live('api'))?.Protocol).toBe('http');
  });
});

describe('a saved plan from a git checkout', () => {
  it('records the commit and tree, and apply FILE records that commit as applied', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = tree('http');
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
          GIT_COMMITTER_DATE: '2026-11-25T11:00:00Z',
        },
      })
        .toString()
        .trim();
    git('init', '-q');
    git('add', 'config-entries');
    git('commit', '-qm', 'entries');
    expect((await run(planCommand, ['--out', '../p.plan'], dir)).code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, '../p.plan'), 'utf8'));
    expect(saved.source.git).toEqual({
      commit: git('rev-parse', 'HEAD'),
      tree: git('rev-parse', 'HEAD:config-entries'),
      commitTime: '2026-11-25T11:00:00+00:00',
      clean: true,
    });
    const r = await run(applyCommand, ['../p.plan'], dir);
    expect(r.code).toBe(0);
    const kv = await fetch(`${server.url}/v1/kv/consul-gitops/state/default/last-applied?raw`);
    expect(JSON.parse(await kv.text())).toMatchObject({ commit: git('rev-parse', 'HEAD'), commitTime: '2026-11-25T11:00:00+00:00' });
  });
});
