// `advise --write-branch` through main() on a Consul Enterprise target that manages two namespaces
// (the loopback Enterprise double): `api` in `default` and `api` in `billing` are two services, both
// kept permissive by consul-k8s while Git is strict. The held-back lockdown names each with its
// namespace, so the reader can tell which `api` to fix where.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { commitAll } from '../support/git-repo.ts';
import { runAdvise } from '../support/run-advise.ts';

const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: ent\n    namespaces: [default, billing]\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
};

let consul: EnterpriseDouble | undefined;
afterEach(async () => {
  await consul?.close();
  consul = undefined;
});

describe('advise --write-branch, the same service name held permissive by consul-k8s in two namespaces', () => {
  it('names each service with its namespace in the held-back lockdown', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { billing: ['api'] } });
    for (const Namespace of ['default', 'billing'])
      consul.put({ Kind: 'service-defaults', Name: 'api', Namespace, MutualTLSMode: 'permissive', Meta: { 'external-source': 'kubernetes' } });
    const repo = mkdtempSync(join(tmpdir(), 'cg-lockdown-ns-'));
    mkdirSync(join(repo, 'config-entries'));
    for (const [path, text] of Object.entries(TREE)) writeFileSync(join(repo, path), text);
    commitAll(repo);

    const run = await runAdvise(consul.url, ['--write-branch'], { cwd: repo, traces: { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'mesh lockdown: the mesh lockdown is held back: 2 services stay permissive in Consul through entries consul-gitops does not write ' +
        '(managed by consul-k8s via external-source, or not managed): api (namespace billing) (blocked), api (blocked).',
    );
  });
});
