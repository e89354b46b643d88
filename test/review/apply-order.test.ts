// Review: apply order and dependency skipping around the permissive-mTLS lockdown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import type { SourceFile } from '../../src/core/parse-files.ts';
import { makePlan } from '../../src/app/make-plan.ts';
import { applyPlan } from '../../src/app/apply-plan.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';
import { tempTree, runAgainst } from '../support/run-cli.ts';

const f = (path: string, text: string): SourceFile => ({ path, text });
const opts = { prune: true, adopt: false };

describe('mesh update that both allows permissive mode and sets MeshDestinationsOnly', () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });
  const run = (cmd: Parameters<typeof runAgainst>[1], args: string[], cwd: string) => runAgainst(server.url, cmd, args, cwd);

  it('is written before the services that become permissive', async () => {
    const dir = tempTree({
      'config-entries/mesh.hcl': 'Kind = "mesh"\n',
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "strict"\n',
      'config-entries/api-intentions.hcl': 'Kind = "service-intentions"\nName = "api"\nSources = [{ Name = "web", Action = "allow" }]\n',
    });
    expect((await run(applyCommand, [], dir)).code).toBe(0);
    // Onboarding api: allow permissive mode mesh-wide, and lock egress to mesh destinations at once.
    writeFileSync(
      join(dir, 'config-entries/mesh.hcl'),
      'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy { MeshDestinationsOnly = true }\n',
    );
    writeFileSync(join(dir, 'config-entries/api.hcl'), 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permissive"\n');
    const apply = await run(applyCommand, [], dir);
    expect(apply.stdout).not.toContain('✗');
    expect(apply.code).toBe(0);
    expect((await run(planCommand, ['--detailed-exitcode'], dir)).code).toBe(0);
  });
});

describe('locking the mesh down', () => {
  const meshAllow = f('mesh.hcl', 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n');
  const meshLocked = f('mesh.hcl', 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n');
  const svc = (name: string, mode: string) =>
    f(`sd/${name}.hcl`, `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "${mode}"\n`);
  const intentions = (name: string) => f(`si/${name}.hcl`, `Kind = "service-intentions"\nName = "${name}"\nSources = [{ Name = "web", Action = "allow" }]\n`);

  it('is not attempted when a service failed to leave permissive mode', async () => {
    const store = new InMemoryConfigEntryStore();
    const start = [meshAllow, svc('api', 'permissive'), intentions('api')];
    const first = await makePlan(start, store, opts);
    expect((await applyPlan(store, first.plan!)).ok).toBe(true);

    const next = await makePlan([meshLocked, svc('api', 'strict'), intentions('api')], store, opts);
    store.failWrites.set('service-defaults/api', 'Unexpected response code: 500 (boom)');
    const report = await applyPlan(store, next.plan!);
    expect(report.ok).toBe(false);
    const mesh = report.results.find((r) => r.change.id.kind === 'mesh')!;
    expect(mesh.outcome.status).toBe('skipped');
    // The mesh still allows permissive mode, so api can stay (or go back to being) permissive.
    expect((await store.get('mesh', 'mesh'))!.entry.AllowEnablingPermissiveMutualTLS).toBe(true);
  });
});
