// Trust probe of the built CLI's memo of no-op plans (src/cli/plan-cache.ts): whatever changed
// behind its back, a memoised `plan` prints exactly what a computed one (CONSUL_GITOPS_PLAN_CACHE=0)
// prints at that moment. Each case first leaves a memo, changes one thing the memo's key might miss,
// and compares the two runs: a replayed "no changes" where a fresh plan says otherwise is the failure.
import { symlinkSync, unlinkSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtCliWithCache } from '../support/built-cli.ts';
import { targetsYaml } from '../support/consul-version-examples.ts';
import { startRewritingConsul, type RewritingConsul } from '../support/rewriting-consul.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const built = builtCliWithCache('cli-plan-cache-trust');
let work: string;
let consul: DevServer;
let front: RewritingConsul | undefined;

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
    front = await startRewritingConsul(consul.url, '/v1/agent/self', (self: { Config: { Version: string } }) => ({
      ...self,
      Config: { ...self.Config, Version: reported },
    }));
    const first = await memoisedAndComputed(front.url, ['--json']);
    expect(first.memoised.code, first.memoised.stderr).toBe(0);
    expect(first.memoised).toEqual(first.computed);
    expect(first.memoised.stdout).not.toContain('target-version');
    // Consul's entries stay byte for byte the same; only the version it reports changes.
    reported = '1.21.4';
    const after = await memoisedAndComputed(front.url, ['--json']);
    expect(after.computed.stdout).toContain('target-version');
    expect(after.memoised).toEqual(after.computed);
  }, 60_000);
});
