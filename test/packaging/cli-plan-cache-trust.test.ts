// Trust probe of the built CLI's memo of no-op plans (src/cli/plan-cache.ts): whatever changed
// behind its back, a memoised `plan` prints exactly what a computed one (CONSUL_GITOPS_PLAN_CACHE=0)
// prints at that moment. Each case first leaves a memo, changes one thing the memo's key might miss,
// and compares the two runs: a replayed "no changes" where a fresh plan says otherwise is the failure.
import { execFileSync } from 'node:child_process';
import { renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtCliWithCache } from '../support/built-cli.ts';
import { ROUTE, targetsYaml } from '../support/consul-version-examples.ts';
import { startRewritingConsul, type RewritingConsul } from '../support/rewriting-consul.ts';
import { startConsulFront } from '../support/consul-front.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const built = builtCliWithCache('cli-plan-cache-trust');
let work: string;
let consul: DevServer;
let front: { close(): Promise<void> } | undefined;

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '1.22.5' });
  ({ work } = built.fresh());
  write('consul-gitops.yaml', targetsYaml('1.22.5'));
  write('config-entries/web.hcl', WEB);
  const applied = await built.cli(['apply', '--auto-approve', '--consul', consul.url], { CONSUL_GITOPS_PLAN_CACHE: '0' });
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);

afterEach(async () => {
  await front?.close();
  front = undefined;
  await consul?.close();
});

afterAll(async () => {
  await consul?.close();
});

const write = (name: string, text: string) => writeFileSync(join(work, name), text);

/** A plan with the memo, then the same plan computed: the pair a user could tell apart. */
async function memoisedAndComputed(url: string, extra: string[] = [], env: Record<string, string> = {}) {
  const args = ['plan', '--consul', url, '--detailed-exitcode', ...extra];
  const memoised = await built.cli(args, env);
  const computed = await built.cli(args, { ...env, CONSUL_GITOPS_PLAN_CACHE: '0' });
  return { memoised, computed };
}

describe('the memo of no-op plans against what changed behind its back', () => {
  it('plan --json carries the version warnings of this run: a server that now contradicts consulVersion is not replayed away', async () => {
    // The version Consul reports, as a front that an upgrade (or another agent) changes.
    let reported = '1.22.5';
    const f: RewritingConsul = await startRewritingConsul(consul.url, '/v1/agent/self', (self: { Config: { Version: string } }) => ({
      ...self,
      Config: { ...self.Config, Version: reported },
    }));
    front = f;
    const first = await memoisedAndComputed(f.url, ['--json']);
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    expect(first.memoised).toEqual(first.computed);
    expect(first.memoised.stdout).not.toContain('target-version');
    // Consul's entries stay byte for byte the same; only the version it reports changes.
    reported = '1.21.4';
    const after = await memoisedAndComputed(f.url, ['--json']);
    expect(after.computed.stdout).toContain('target-version');
    expect(after.memoised).toEqual(after.computed);
  }, 60_000);
  it('a Consul that now refuses the lists fails as a computed plan fails, naming the target', async () => {
    let refuse = false;
    const f = await startConsulFront(consul.url, (url) =>
      refuse && url.pathname.startsWith('/v1/config/') ? { status: 403, body: 'Permission denied: token lacks mesh:read' } : undefined,
    );
    front = f;
    const first = await memoisedAndComputed(f.url);
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    expect(first.memoised).toEqual(first.computed);
    refuse = true;
    const after = await memoisedAndComputed(f.url);
    expect(after.computed.code).not.toBe(0);
    expect(after.memoised).toEqual(after.computed);
  }, 60_000);
  it('another token: one that cannot read the last-apply record, one that reads fewer entries', async () => {
    const ROOT = 'root-secret-for-the-memo-trust-test';
    const NO_KV = 'entries-only-secret-for-the-memo-trust-test';
    const LESS = 'web-only-secret-for-the-memo-trust-test';
    await consul.close();
    consul = await startDevServer({
      port: 0,
      host: '127.0.0.1',
      consulVersion: '1.22.5',
      acl: {
        defaultPolicy: 'deny',
        tokens: [
          { secret: ROOT, management: true },
          { secret: NO_KV, rules: { mesh: 'read', service_prefix: { '': 'read' }, intention_prefix: { '': 'read' }, agent_prefix: { '': 'read' } } },
          { secret: LESS, rules: { mesh: 'read', service: { web: 'read' }, key_prefix: { '': 'read' }, agent_prefix: { '': 'read' } } },
        ],
      },
    });
    write('config-entries/api.hcl', WEB.replace('"web"', '"api"'));
    const applied = await built.cli(['apply', '--auto-approve', '--consul', consul.url], { CONSUL_GITOPS_PLAN_CACHE: '0', CONSUL_HTTP_TOKEN: ROOT });
    expect(applied.code, applied.stderr).toBe(0);
    const first = await memoisedAndComputed(consul.url, [], { CONSUL_HTTP_TOKEN: ROOT });
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    expect(first.memoised).toEqual(first.computed);
    const noKv = await memoisedAndComputed(consul.url, [], { CONSUL_HTTP_TOKEN: NO_KV });
    expect(noKv.computed.stderr).toContain('could not read the last apply record');
    expect(noKv.memoised).toEqual(noKv.computed);
    const less = await memoisedAndComputed(consul.url, [], { CONSUL_HTTP_TOKEN: LESS });
    expect(less.computed.code).not.toBe(0);
    expect(less.memoised).toEqual(less.computed);
  }, 60_000);

  it('another namespace or partition from the environment (CONSUL_NAMESPACE, CONSUL_PARTITION)', async () => {
    const first = await memoisedAndComputed(consul.url);
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    for (const env of [{ CONSUL_NAMESPACE: 'billing' }, { CONSUL_PARTITION: 'eu' }] as Record<string, string>[]) {
      const other = await memoisedAndComputed(consul.url, [], env);
      expect(other.computed.code).not.toBe(0);
      expect(other.memoised).toEqual(other.computed);
    }
  }, 60_000);

  it('a file replaced by a symbolic link or a FIFO, and the same bytes under another path', async () => {
    const first = await memoisedAndComputed(consul.url);
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    // The same text, now behind a link: not followed, so web is no longer in the files.
    write('web-copy.hcl', WEB);
    unlinkSync(join(work, 'config-entries/web.hcl'));
    symlinkSync(join(work, 'web-copy.hcl'), join(work, 'config-entries/web.hcl'));
    const linked = await memoisedAndComputed(consul.url);
    expect(linked.computed.stderr).toContain('symbolic links are not followed');
    expect(linked.memoised).toEqual(linked.computed);
    unlinkSync(join(work, 'config-entries/web.hcl'));
    execFileSync('mkfifo', [join(work, 'config-entries/web.hcl')]);
    const fifo = await memoisedAndComputed(consul.url);
    expect(fifo.computed.stderr).toContain('FIFO');
    expect(fifo.memoised).toEqual(fifo.computed);
    unlinkSync(join(work, 'config-entries/web.hcl'));
    // Back as it was (the memo answers again), then the same bytes under another name.
    write('config-entries/web.hcl', WEB);
    expect(await memoisedAndComputed(consul.url)).toEqual(first);
    renameSync(join(work, 'config-entries/web.hcl'), join(work, 'config-entries/web-renamed.hcl'));
    const renamed = await memoisedAndComputed(consul.url);
    expect(renamed.computed.stdout).toContain('web-renamed.hcl');
    expect(renamed.memoised).toEqual(renamed.computed);
  }, 60_000);
  it('a Consul upgraded in place (no consulVersion configured): the version it now reports is planned for', async () => {
    write('consul-gitops.yaml', targetsYaml());
    // Consul 1.22.5 turns the route's Weight 0 into 1 (consul-version-examples.ts); 1.22.6 keeps 0.
    write('config-entries/shop.hcl', ROUTE);
    const applied = await built.cli(['apply', '--auto-approve', '--consul', consul.url], { CONSUL_GITOPS_PLAN_CACHE: '0' });
    expect(applied.code, applied.stderr).toBe(0);
    let reported = '1.22.5';
    const f: RewritingConsul = await startRewritingConsul(consul.url, '/v1/agent/self', (self: { Config: { Version: string } }) => ({
      ...self,
      Config: { ...self.Config, Version: reported },
    }));
    front = f;
    const first = await memoisedAndComputed(f.url);
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    expect(first.memoised).toEqual(first.computed);
    // The entries as they were, byte for byte: only the version reported changed.
    reported = '1.22.6';
    const upgraded = await memoisedAndComputed(f.url);
    expect(upgraded.computed.code).toBe(2);
    expect(upgraded.memoised).toEqual(upgraded.computed);
  }, 60_000);
});
