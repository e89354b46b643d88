// plan/apply/audit end to end over loopback HTTP against the embedded dev server, which holds
// Consul's behaviour (normalisation, zero-value response shapes, CAS, graph rules).
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vectors from '../fixtures/consul-decode-vectors.json' with { type: 'json' };
import { main } from '../../src/cli/main.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { auditCommand } from '../../src/cli/audit-command.ts';
import { tempTree, runAgainst } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const run = (cmd: Parameters<typeof runAgainst>[1], args: string[], cwd: string) => runAgainst(server.url, cmd, args, cwd);

async function put(path: string, body: unknown): Promise<string> {
  const res = await fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
  return res.text();
}

describe('reconcile against the dev server', () => {
  it('applies the example tree, then plans no changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-e2e-'));
    cpSync('config-entries', join(dir, 'config-entries'), { recursive: true });
    const first = await run(planCommand, ['--detailed-exitcode'], dir);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('Plan: 8 to create, 0 to update, 0 to delete.');
    const apply = await run(applyCommand, [], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const again = await run(planCommand, ['--detailed-exitcode'], dir);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it('has zero spurious changes for every decode vector the dev server accepts', async () => {
    let accepted = 0;
    for (const v of vectors as { name: string; format: string; input: string; expected: unknown }[]) {
      if (v.expected === null) continue;
      const dir = tempTree({ [`config-entries/entry.${v.format}`]: v.input });
      const apply = await run(applyCommand, [], dir);
      if (apply.code !== 0) continue; // Consul (and so the dev server) refuses some decodable entries
      accepted++;
      const again = await run(planCommand, ['--detailed-exitcode'], dir);
      // Nothing to write for this vector's entry. The earlier vectors' entries stay in the shared
      // dev server with no file (pruning off): Consul differs from this tree there, so 3, not 0.
      expect(again.stdout, v.name).toContain('Plan: 0 to create, 0 to update, 0 to delete.');
      expect([0, 3], v.name).toContain(again.code);
    }
    expect(accepted).toBeGreaterThanOrEqual(4);
  });

  it('shows drift as the changed field and repairs it', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    expect((await run(applyCommand, [], dir)).code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as Record<string, unknown>;
    expect(await put('/v1/config', { ...live, Protocol: 'grpc' })).toBe('true');
    const drift = await run(planCommand, ['--json'], dir);
    const plan = JSON.parse(drift.stdout);
    expect(plan.summary).toMatchObject({ update: 1 });
    expect(plan.changes.find((c: { action: string }) => c.action === 'update').fieldDiffs).toEqual([{ path: 'Protocol', before: 'grpc', after: 'http' }]);
    expect((await run(applyCommand, [], dir)).code).toBe(0);
    expect((await run(planCommand, ['--detailed-exitcode'], dir)).code).toBe(0);
  });

  it('records source paths relative to the repository root, so the working directory does not matter', async () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\n',
      'docs/README.md': '',
    });
    expect((await run(applyCommand, [], dir)).code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as { Meta: Record<string, string> };
    expect(live.Meta['consul-gitops/source']).toBe('config-entries/web.hcl');
    const fromSubdir = await run(planCommand, ['--dir', '../config-entries', '--detailed-exitcode'], join(dir, 'docs'));
    expect(fromSubdir.stdout).toContain('No changes.');
    expect(fromSubdir.code).toBe(0);
  });

  it('prunes the owned entry of a deleted file and leaves an unowned one alone', async () => {
    const dir = tempTree({
      'config-entries/a.hcl': 'Kind = "service-defaults"\nName = "a"\n',
      'config-entries/b.hcl': 'Kind = "service-defaults"\nName = "b"\n',
      'config-entries/c.hcl': 'Kind = "service-defaults"\nName = "c"\n',
    });
    expect(await put('/v1/config', { Kind: 'service-defaults', Name: 'by-hand' })).toBe('true');
    expect((await run(applyCommand, [], dir)).code).toBe(0);
    rmSync(join(dir, 'config-entries/c.hcl'));
    const withoutPrune = await run(planCommand, [], dir);
    expect(withoutPrune.stdout).toContain('! skip service-defaults/c: no file defines it; pruning is off');
    const apply = await run(applyCommand, ['--prune'], dir);
    expect(apply.stdout).toContain('✓ delete service-defaults/c');
    const names = ((await (await fetch(`${server.url}/v1/config/service-defaults`)).json()) as { Name: string }[]).map((e: { Name: string }) => e.Name);
    expect(names).toEqual(['a', 'b', 'by-hand']);
  });

  it("surfaces Consul's own refusal with the file it came from and applies nothing of the tree", async () => {
    const dir = tempTree({
      'config-entries/mesh.hcl': 'Kind = "mesh"\n',
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permissive"\n',
    });
    const apply = await run(applyCommand, [], dir);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('config-entries/api.hcl:3:1: MutualTLSMode: cannot set MutualTLSMode=permissive');
    expect(await (await fetch(`${server.url}/v1/config/mesh`)).json()).toEqual([]);
  });

  it('refuses to apply a commit older than the last applied one', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\n' });
    const newer = await run(applyCommand, ['--commit', 'b'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'], dir);
    expect(newer.code).toBe(0);
    writeFileSync(join(dir, 'config-entries/web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n');
    const older = await run(applyCommand, ['--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T09:00:00Z'], dir);
    expect(older.code).toBe(1);
    expect(older.stderr).toContain('is older than bbbbbbbbbbbb');
    const live = (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as { Protocol: string };
    expect(live.Protocol).toBe('');
    const kv = await (await fetch(`${server.url}/v1/kv/consul-gitops/state/default/last-applied?raw`)).json();
    expect(kv).toMatchObject({ commit: 'b'.repeat(40), commitTime: '2026-11-25T10:00:00Z', appliedAt: '2026-11-25T12:00:00.000Z' });
  });

  it('audits permissive services and exits 1 with --require-strict until the mesh is locked down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-e2e-'));
    cpSync('config-entries', join(dir, 'config-entries'), { recursive: true });
    await run(applyCommand, [], dir);
    const audit = await run(auditCommand, ['--require-strict', '--json'], dir);
    expect(audit.code).toBe(1);
    expect(JSON.parse(audit.stdout)).toMatchObject({ permissiveServices: ['api', 'billing'], strict: false });
    writeFileSync(
      join(dir, 'config-entries/service-defaults/api.hcl'),
      'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
    );
    writeFileSync(
      join(dir, 'config-entries/service-defaults/billing.json'),
      '{"Kind": "service-defaults", "Name": "billing", "Protocol": "http", "MutualTLSMode": "strict"}\n',
    );
    writeFileSync(join(dir, 'config-entries/mesh/mesh.hcl'), 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n');
    expect((await run(applyCommand, [], dir)).code).toBe(0);
    const strict = await run(auditCommand, ['--require-strict'], dir);
    expect(strict.stdout).toContain('strict: the mesh accepts mTLS only');
    expect(strict.code).toBe(0);
  });

  it('reports a check-and-set conflict when Consul changes between plan and apply, and keeps the newer value', async () => {
    const { ConsulClient } = await import('../../src/adapters/consul/client.ts');
    const { ConsulConfigEntryStore } = await import('../../src/adapters/consul/stores.ts');
    const { makePlan } = await import('../../src/app/make-plan.ts');
    const { applyPlan } = await import('../../src/app/apply-plan.ts');
    const client = new ConsulClient({ address: server.url });
    const store = new ConsulConfigEntryStore(client);
    const files = (protocol: string) => [{ path: 'web.hcl', text: `Kind = "service-defaults"\nName = "web"\nProtocol = "${protocol}"\n` }];
    await applyPlan(store, (await makePlan(files('http'), store, { prune: false, adopt: false })).plan!);
    const plan = (await makePlan(files('grpc'), store, { prune: false, adopt: false })).plan!;
    // Someone else writes between our plan and our apply.
    const live = (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as Record<string, unknown>;
    expect(await put('/v1/config', { ...live, Protocol: 'http2' })).toBe('true');
    const report = await applyPlan(store, plan);
    expect(report.ok).toBe(false);
    expect(report.results[0].outcome).toMatchObject({ status: 'conflict', liveDiffs: [{ path: 'Protocol', before: 'http', after: 'http2' }] });
    const after = (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as { Protocol: string };
    expect(after.Protocol).toBe('http2');
    await client.close();
  });

  it('npm start runs the whole loop', async () => {
    let out = '';
    const code = await main(['demo'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) } });
    expect(code).toBe(0);
    expect(out).toContain('Apply: 8 applied, 0 failed');
    expect(out).toContain('No changes. Consul matches the files.');
    expect(out).toContain('permissive service-defaults: api');
  });
});
