// Entries in Consul that consul-gitops does not manage, through the CLI against the dev server: one
// that differs from Git is a change (diff shown, `--detailed-exitcode` 2) that only `--adopt`
// writes; one that equals Git is "matches Git, not managed"; consul-k8s's are listed, never touched.
import { describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { detectDrift } from '../../src/app/detect-drift.ts';
import { renderPlanMarkdown } from '../../src/reports/plan-markdown.ts';
import { reconcileCommit } from '../../src/app/reconcile-commit.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';
import { InMemoryStateStore } from '../support/in-memory-state-store.ts';
import { DRIFT_JOB, recordingDeps, target as driftTarget } from '../support/recording-deps.ts';
import { tempTree, runAgainst } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const api = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n';
const run = (cmd: Parameters<typeof runAgainst>[1], args: string[], cwd: string) => runAgainst(server.url, cmd, args, cwd);

async function put(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
  expect(await res.text()).toBe('true');
}
async function live(kind: string, name: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${server.url}/v1/config/${kind}/${name}`)).json()) as Record<string, unknown>;
}

describe('an unmanaged entry that differs from Git', () => {
  it('is a change: plan shows the diff and exits 2; apply leaves it, says so and exits 1; --adopt takes it over', async () => {
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' });
    const dir = tempTree({ 'config-entries/api.hcl': api });

    const plan = await run(planCommand, ['--detailed-exitcode'], dir);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ update service-defaults/api');
    expect(plan.stdout).toContain('not managed by consul-gitops: `--adopt` takes it over');
    expect(plan.stdout).toContain('~ Protocol = "tcp" → "http"');
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update (1 only with --adopt), 0 to delete.');

    const json = JSON.parse((await run(planCommand, ['--json'], dir)).stdout) as { changes: Record<string, unknown>[]; summary: Record<string, number> };
    expect(json.changes[0]).toMatchObject({ action: 'update', requiresAdopt: true, fieldDiffs: [{ path: 'Protocol', before: 'tcp', after: 'http' }] });
    expect(json.summary.update).toBe(1);

    const apply = await run(applyCommand, [], dir);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('- update service-defaults/api: not written: not managed by consul-gitops: `--adopt` takes it over');
    expect(await live('service-defaults', 'api')).toMatchObject({ Protocol: 'tcp' });
    expect((await live('service-defaults', 'api')).Meta).toBeUndefined();

    const adopt = await run(applyCommand, ['--adopt'], dir);
    expect(adopt.stderr).toBe('');
    expect(adopt.code).toBe(0);
    expect(await live('service-defaults', 'api')).toMatchObject({
      Protocol: 'http',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' },
    });
    expect((await run(planCommand, ['--detailed-exitcode'], dir)).code).toBe(0);
  });

  it('is drift for the schedule, and the PR plan comment shows it with its diff', async () => {
    const store = new InMemoryConfigEntryStore();
    store.seed({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' });
    const { deps, issues, statuses } = recordingDeps({ files: [{ path: 'config-entries/api.hcl', text: api }], store, state: new InMemoryStateStore() });
    const target = driftTarget('dc1', false);
    const outcome = await detectDrift(deps, target, { ...DRIFT_JOB, selfHeal: false });
    expect(outcome.kind).toBe('drift');
    expect(issues).toHaveLength(1);
    expect(issues[0].open).toBe(true);
    const md = renderPlanMarkdown({ plan: (outcome as { plan: Parameters<typeof renderPlanMarkdown>[0]['plan'] }).plan! });
    for (const body of [issues[0].body, md]) {
      expect(body).toContain('update <code>service-defaults/api</code> (config-entries/api.hcl:1) [needs --adopt]: 1 field');
      expect(body).toContain('> not managed by consul-gitops: \\`--adopt\\` takes it over');
      expect(body).toContain('- Protocol = "tcp"\n+ Protocol = "http"');
    }
    // A push is applied without --adopt: the commit status fails and says why.
    const pushed = await reconcileCommit(deps, target, { owner: 'acme', repo: 'mesh', sha: 'a'.repeat(40), deliveryId: 'd1', mode: 'apply' });
    expect(pushed.kind).toBe('applied');
    expect(statuses.at(-1)).toEqual({
      state: 'failure',
      description:
        '1 entry not managed by consul-gitops differs from Git (adopt with apply --adopt). Apply: 0 applied, 0 failed, 0 conflicts, 1 not attempted. Not applied: service-defaults/api (not written: adopt-required).',
    });
    expect((await store.get('service-defaults', 'api'))!.entry.Protocol).toBe('tcp');
    // Self-heal does not adopt behind the user's back either.
    const healed = await detectDrift(deps, target, { ...DRIFT_JOB, selfHeal: true });
    expect(healed.kind).toBe('healed');
    expect((await store.get('service-defaults', 'api'))!.entry.Protocol).toBe('tcp');
    expect(issues.at(-1)!.open).toBe(true);
  });
});

describe('an unmanaged entry that equals Git', () => {
  it('is reported as "matches Git, not managed" (exit 0); --adopt adds only the markers', async () => {
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' });
    const dir = tempTree({ 'config-entries/api.hcl': api });
    const plan = await run(planCommand, ['--detailed-exitcode'], dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('! skip service-defaults/api: matches Git, not managed by consul-gitops; `--adopt` adds the ownership markers');
    const adopt = await run(applyCommand, ['--adopt'], dir);
    expect(adopt.code).toBe(0);
    expect(adopt.stdout).toContain('[adopt]');
    expect(await live('service-defaults', 'api')).toMatchObject({ Protocol: 'http', Meta: { 'managed-by': 'consul-gitops' } });
  });
});

describe('an entry consul-k8s owns', () => {
  it('is listed with how it differs, and neither apply nor apply --adopt touches it', async () => {
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp', Meta: { 'external-source': 'kubernetes' } });
    const dir = tempTree({ 'config-entries/api.hcl': api });
    const plan = await run(planCommand, ['--detailed-exitcode'], dir);
    // 3: nothing apply can make, yet Consul differs from Git (README "Errors and exit codes for scripts").
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('Left alone:');
    expect(plan.stdout).toContain(
      '! skip service-defaults/api: owned by kubernetes (Meta.external-source); consul-gitops never writes it, although it differs from the file',
    );
    expect(plan.stdout).toContain('~ Protocol = "tcp" → "http"');
    const before = await live('service-defaults', 'api');
    for (const args of [[], ['--adopt']]) expect((await run(applyCommand, args, dir)).code).toBe(0);
    expect(await live('service-defaults', 'api')).toEqual(before);
  });
});
