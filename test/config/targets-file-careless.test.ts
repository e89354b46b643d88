// consul-gitops.yaml as a careless user writes it, through `plan` (main()): each mistake is refused
// as a config error that names the key and says what to write, before Consul is asked.
//  - A target's name is part of Consul KV keys (`consul-gitops/state/<name>/lock`) and git branch
//    names (`consul-gitops/mesh-lockdown/<name>`): `..` once put the lock outside the state prefix
//    (`consul-gitops/lock`), and `.`, `.x`, `a..b`, `x.` or `x.lock` make branch names git refuses.
//  - A number too large for a double (`1e400`, read as Infinity) was "expected number, got number".
//  - `yes`/`no` (YAML 1.1 booleans; strings in YAML 1.2) and a merge key `<<` are named as such.
//  - `dir: ""` named no folder, and read the whole repository (this file included) as entries.
import { describe, expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const TREE = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };
const consul = devServerPerFile();

async function plan(yaml: string) {
  return runCli(['plan', '--json', '--consul', consul.url], tempTree({ ...TREE, 'consul-gitops.yaml': yaml }));
}

async function refused(yaml: string): Promise<string> {
  const run = await plan(yaml);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).error.code).toBe('config');
  return run.stderr;
}

describe('a target name that cannot be part of a KV key or a branch name', () => {
  it.each(['..', '.', '.hidden', 'a..b', 'ends.', 'x.lock'])('%s', async (name) => {
    expect(await refused(`targets:\n  - name: "${name}"\n`)).toMatch(
      /^error: consul-gitops\.yaml: targets\.0\.name: .*not starting with "\." nor ending with "\." or "\.lock", no "\.\."/,
    );
  });

  it('a name with dots, dashes and underscores inside is kept (pin)', async () => {
    const run = await plan('targets:\n  - name: eu-west.prod_2\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

it('a number too large for a double says so', async () => {
  expect(await refused('targets:\n  - name: a\n    massDelete: { minCount: 1e400 }\n')).toContain(
    'targets.0.massDelete.minCount: expected a finite number, got one too large to represent (1e400 reads as Infinity)',
  );
});

it('yes and no are named as YAML 1.1 booleans', async () => {
  expect(await refused('targets:\n  - name: a\n    prune: yes\n')).toContain(
    'targets.0.prune: expected boolean, got the string "yes" (YAML 1.2 reads yes/no/on/off as text: write true or false)',
  );
});

it('a merge key is named as one', async () => {
  const stderr = await refused('base: &b\n  prune: false\ntargets:\n  - <<: *b\n    name: a\n');
  expect(stderr).toContain('targets.0: unknown key "<<" (a YAML merge key: not supported here; write the keys out)');
});

it('an empty dir is refused', async () => {
  expect(await refused('targets:\n  - name: a\n    dir: ""\n')).toContain('targets.0.dir: a folder inside the repository');
});
