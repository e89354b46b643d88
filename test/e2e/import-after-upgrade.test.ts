// Re-import into a tree an earlier consul-gitops imported, through main(): namespace folders were
// spelled as Consul spells the namespace (`namespace-Team/`) before import lower-cased them. The
// entry's file is found where it is and updated in place (`--force`, as for any file import wrote),
// and a new entry of that namespace joins the folder already there: no `namespace-team/` beside it,
// so no entry gets a second file (plan refuses a duplicate) and one namespace stays one folder.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

interface PlanJson {
  changes: { action: string; fieldDiffs: { path: string }[] }[];
}

describe('import into a tree imported before namespace folders were lower-cased', () => {
  let consul: EnterpriseDouble;
  afterEach(() => consul.close());

  it('updates the entry in its old folder and puts a new entry of that namespace beside it', async () => {
    consul = await startEnterpriseDouble();
    consul.put({ Kind: 'service-defaults', Name: 'web', Namespace: 'Team', Protocol: 'http' });
    const cwd = tempTree({ 'consul-gitops.yaml': 'targets:\n  - name: ent\n    namespaces: all\n' });
    const dir = join(cwd, 'config-entries');
    const first = await runCli(['import', '--consul', consul.url], cwd);
    expect(first.code).toBe(0);
    // The folder as the import before lower-casing named it.
    renameSync(join(dir, 'namespace-team'), join(dir, 'namespace-Team'));
    const old = 'config-entries/namespace-Team/service-defaults/web.hcl';

    consul.put({ Kind: 'service-defaults', Name: 'web', Namespace: 'Team', Protocol: 'grpc' });
    consul.put({ Kind: 'service-defaults', Name: 'api', Namespace: 'team', Protocol: 'http' });

    // As for any file import wrote: one that says something else is replaced only with --force.
    const refused = await runCli(['import', '--consul', consul.url], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${old} exists and describes something else; --force replaces it`);
    expect(refused.stderr).toContain('nothing was written');
    expect(filesUnder(dir)).toEqual(['namespace-Team/service-defaults/web.hcl']);

    const forced = await runCli(['import', '--consul', consul.url, '--force'], cwd);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`replaced ${old}`);
    expect(forced.stdout).toContain('wrote config-entries/namespace-Team/service-defaults/api.hcl');
    expect(filesUnder(dir)).toEqual(['namespace-Team/service-defaults/api.hcl', 'namespace-Team/service-defaults/web.hcl']);
    expect(readFileSync(join(cwd, old), 'utf8')).toMatch(/Protocol *= "grpc"/);

    const again = await runCli(['import', '--consul', consul.url], cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Import: 0 written, 2 already in place, 0 skipped.');

    const plan = await runCli(['plan', '--consul', consul.url, '--adopt', '--json'], cwd);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as PlanJson).changes;
    expect(changes).toHaveLength(2);
    for (const c of changes) for (const d of c.fieldDiffs) expect(d.path).toMatch(/^Meta(\.managed-by|\.consul-gitops\/source)?$/);
  });

  it('still refuses, naming both files, when the entry is defined in a file of the user elsewhere', async () => {
    consul = await startEnterpriseDouble();
    consul.put({ Kind: 'service-defaults', Name: 'web', Namespace: 'Team', Protocol: 'grpc' });
    const cwd = tempTree({
      'consul-gitops.yaml': 'targets:\n  - name: ent\n    namespaces: all\n',
      'config-entries/mine.hcl': 'Kind = "service-defaults"\nName = "web"\nNamespace = "Team"\nProtocol = "http"\n',
    });
    const run = await runCli(['import', '--consul', consul.url, '--force'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already defined in config-entries/mine.hcl, which says something else');
    expect(filesUnder(join(cwd, 'config-entries'))).toEqual(['mine.hcl']);
  });
});
