// `consul-gitops import` of names a file system handles badly, through main(): a namespace spelled
// `Team` by one entry and `team` by another (one namespace to Consul, whose index lower-cases it)
// goes to one folder, lower-cased, so a case-insensitive checkout (macOS, Windows) sees what Linux
// sees; a name holding a control character is percent-encoded in the file name (`%1B`, as `%43ON`
// for a Windows device name), keeps its real name inside the file, and plans back as the same entry.
// Neither stops the rest of the import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

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

/** plan --adopt after import: every entry matches its file, only the ownership markers to add. */
function expectOnlyMarkers(stdout: string, entries: number): void {
  const changes = (JSON.parse(stdout) as PlanJson).changes;
  expect(changes).toHaveLength(entries);
  for (const c of changes) {
    expect(c.action).toBe('update');
    for (const d of c.fieldDiffs) expect(d.path).toMatch(/^Meta(\.managed-by|\.consul-gitops\/source)?$/);
  }
}

describe('import: namespaces spelled with different case', () => {
  let consul: EnterpriseDouble;
  afterEach(() => consul.close());

  it('go to one lower-cased folder; each file keeps its spelling and plans back as Consul holds it', async () => {
    consul = await startEnterpriseDouble();
    consul.put({ Kind: 'service-defaults', Name: 'web', Namespace: 'Team', Protocol: 'http' });
    consul.put({ Kind: 'service-defaults', Name: 'api', Namespace: 'team', Protocol: 'grpc' });
    const cwd = tempTree({ 'consul-gitops.yaml': 'targets:\n  - name: ent\n    namespaces: all\n' });
    const run = await runCli(['import', '--consul', consul.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dir = join(cwd, 'config-entries');
    expect(filesUnder(dir)).toEqual(['namespace-team/service-defaults/api.hcl', 'namespace-team/service-defaults/web.hcl']);
    expect(readFileSync(join(dir, 'namespace-team/service-defaults/web.hcl'), 'utf8')).toContain('Namespace = "Team"');
    const plan = await runCli(['plan', '--consul', consul.url, '--adopt', '--json'], cwd);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expectOnlyMarkers(plan.stdout, 2);
  });
});

describe('import: a name holding a control character', () => {
  const server = devServerPerTest();
  const NAME = 'web\u001b[2J\nx';

  it('is written under its percent-encoded name, with the others, and plans back as the same entry', async () => {
    for (const Name of [NAME, 'ok']) {
      const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name, Protocol: 'http' }) });
      expect(await res.text()).toBe('true');
    }
    for (const format of ['hcl', 'json', 'yaml']) {
      const cwd = tempTree({});
      const run = await runCli(['import', '--consul', server.url, '--format', format], cwd);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // The CLI names the file with its escapes shown, never the raw control characters.
      expect(run.stdout).toContain(`wrote config-entries/service-defaults/web%1B%5B2J%0Ax.${format}`);
      // eslint-disable-next-line no-control-regex -- the controls are what this looks for
      expect(run.stdout).not.toMatch(/[\u001b]/);
      const dir = join(cwd, 'config-entries');
      expect(filesUnder(dir)).toEqual([`service-defaults/ok.${format}`, `service-defaults/web%1B%5B2J%0Ax.${format}`]);
      const plan = await runCli(['plan', '--consul', server.url, '--adopt', '--json'], cwd);
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      expectOnlyMarkers(plan.stdout, 2);
    }
  });
});

describe('import: a file of the tree whose name holds terminal controls', () => {
  const server = devServerPerTest();
  const ODD = 'config-entries/odd\u001b[2J\u202e.hcl';
  const SHOWN = 'config-entries/odd\\u001b[2J\\u202e.hcl';
  // eslint-disable-next-line no-control-regex -- the controls are what this looks for
  const RAW = /[\u001b\u202e]/;

  it('is named escaped when it already describes the entry, and when it says something else', async () => {
    const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }) });
    expect(await res.text()).toBe('true');
    const same = await runCli(['import', '--consul', server.url], tempTree({ [ODD]: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }));
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`unchanged ${SHOWN}: already describes service-defaults/web`);
    expect(same.stdout + same.stderr).not.toMatch(RAW);
    const other = await runCli(['import', '--consul', server.url], tempTree({ [ODD]: 'Kind = "service-defaults"\nName = "web"\nProtocol = "tcp"\n' }));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`already defined in ${SHOWN}, which says something else`);
    expect(other.stdout + other.stderr).not.toMatch(RAW);
  });
});
