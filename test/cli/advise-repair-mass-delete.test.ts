// A drift hint names the apply that will actually run. When that apply prunes (the hint's --prune,
// or the target's own `prune: true`) and the deletions trip apply's mass-delete guard, a bare
// "apply --prune repairs it" is false: apply refuses the whole plan. advise then says so, with the
// guard's own words, and names the override. Each hint is run: the flags it names repair the
// service on the dev server, and the same flags without the override are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const OURS = (file: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': file });
const MESH = 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n';
// Ten services consul-gitops applied whose files are gone too: pruning deletes 11 of 12 managed entries.
const GONE = Array.from({ length: 10 }, (_, i) => `svc${i}`);

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function put(body: Record<string, unknown>): Promise<void> {
  expect(await (await fetch(`${server!.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}

/** api permissive in Consul (ours), the mesh, and ten other entries of ours whose files are gone. */
async function seed(api: Record<string, unknown>): Promise<void> {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS('config-entries/mesh.hcl') });
  await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: OURS('config-entries/api.hcl'), ...api });
  for (const name of GONE) await put({ Kind: 'service-defaults', Name: name, Protocol: 'http', Meta: OURS(`config-entries/${name}.hcl`) });
  await registerSidecar(server.url, 'api');
}

async function repairOfApi(tree: Record<string, string>): Promise<string> {
  const run = await runAdvise(server!.url, ['--json'], { cwd: tempTree(tree) });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const drift = (JSON.parse(run.stdout) as { drift: { service: string; repair: string }[] }).drift;
  return drift.find((d) => d.service === 'api')?.repair ?? '';
}

async function apiMode(): Promise<string> {
  const res = await fetch(`${server!.url}/v1/config/service-defaults/api`);
  return res.status === 200 ? ((await res.json()) as { MutualTLSMode?: string }).MutualTLSMode || 'strict' : 'strict';
}

/** Runs `apply --auto-approve` with the flags the hint starts with; refused: the error, else ''. */
async function applyAs(command: string, tree: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const flags = command.split(' ').slice(1);
  return runAgainst(server!.url, applyCommand, ['--auto-approve', ...flags], tempTree(tree));
}

const commandOf = (repair: string) => /^(apply(?: --[a-z-]+)*) repairs it/.exec(repair)?.[1] ?? '';

describe('advise drift hints and apply’s mass-delete guard', () => {
  it('its file gone, among many: apply --prune is refused, so the hint names --allow-mass-delete and says why', async () => {
    const tree = { 'config-entries/mesh.hcl': MESH };
    await seed({});
    const repair = await repairOfApi(tree);
    expect(commandOf(repair)).toBe('apply --prune --allow-mass-delete');
    expect(repair).toContain('service-defaults/api in Consul has no file any more');
    expect(repair).toContain('without --allow-mass-delete, apply refuses: refusing to delete 11 of 12 managed entries');

    const refused = await applyAs('apply --prune', tree);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('refusing to delete 11 of 12 managed entries');
    expect(await apiMode()).toBe('permissive');
    const applied = await applyAs(commandOf(repair), tree);
    expect(applied.stderr).not.toContain('refusing');
    expect(applied.code).toBe(0);
    expect(await apiMode()).toBe('strict');
  });

  it('a target that prunes (consul-gitops.yaml): even a plain apply is refused, so the hint is apply --allow-mass-delete', async () => {
    const tree = {
      'consul-gitops.yaml': 'targets:\n  - name: dc1\n    dir: config-entries\n',
      'config-entries/mesh.hcl': MESH,
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
    };
    await seed({});
    const repair = await repairOfApi(tree);
    expect(commandOf(repair)).toBe('apply --allow-mass-delete');
    expect(repair).toContain('without --allow-mass-delete, apply refuses: refusing to delete 10 of 12 managed entries');

    expect((await applyAs('apply', tree)).stderr).toContain('refusing to delete 10 of 12 managed entries');
    expect(await apiMode()).toBe('permissive');
    expect((await applyAs(commandOf(repair), tree)).code).toBe(0);
    expect(await apiMode()).toBe('strict');
  });

  it('within the guard the hint stays the plain one', async () => {
    const tree = {
      'config-entries/mesh.hcl': MESH,
      ...Object.fromEntries(GONE.map((n) => [`config-entries/${n}.hcl`, `Kind = "service-defaults"\nName = "${n}"\nProtocol = "http"\n`])),
    };
    await seed({});
    const repair = await repairOfApi(tree);
    expect(repair).toBe('apply --prune repairs it: service-defaults/api in Consul has no file any more');
  });
});

describe('the scheduled advisor (schedule → reconcile Lambda) on a target that prunes', () => {
  let h: ServerlessHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('names --allow-mass-delete in the posture issue and holds the mesh lockdown back: the apply a merge brings would be refused', async () => {
    h = await startServerlessHarness({
      env: { TARGETS_CONFIG: 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n' },
      overrides: { now: () => new Date('2026-11-25T12:00:00Z'), trafficSource: () => trafficDouble({}) },
    });
    const consulPut = async (body: Record<string, unknown>) =>
      expect(await (await fetch(`${h!.consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
    await consulPut({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS('config-entries/mesh.hcl') });
    await consulPut({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: OURS('config-entries/api.hcl') });
    for (const name of GONE) await consulPut({ Kind: 'service-defaults', Name: name, Protocol: 'http', Meta: OURS(`config-entries/${name}.hcl`) });
    await registerSidecar(h.consul.url, 'api');
    h.github.addCommit(
      { 'config-entries/mesh.hcl': MESH, 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n' },
      'api strict',
      { branch: 'master' },
    );
    await h.tick('evt-1');
    const issue = h.github.issues.find((i) => i.title === 'mTLS posture: dc1');
    expect(issue?.body).toContain('apply --allow-mass-delete repairs it');
    expect(issue?.body).toContain('refusing to delete 10 of 12 managed entries');
    expect(h.github.pulls.map((p) => p.head)).toEqual([]);
  });
});
