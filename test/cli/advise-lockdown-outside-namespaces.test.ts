// The mesh entry (AllowEnablingPermissiveMutualTLS) is one per partition, while a target may manage
// only some of its namespaces. `advise --write-branch` through main() against the loopback Enterprise
// double: Git and the managed namespace are strict, but `ledger` in namespace `other` (not managed
// by this target) is still permissive in Consul. Locking the mesh down would claim permissive mode
// is over while ledger still takes plaintext: the lockdown is held back and names it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { commitAll } from '../support/git-repo.ts';
import { runAdvise } from '../support/run-advise.ts';
import { startServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/mesh.hcl' };

let consul: EnterpriseDouble | undefined;
afterEach(async () => {
  await consul?.close();
  consul = undefined;
});

async function writeBranch(namespaces: string): Promise<{ stdout: string; branches: string }> {
  const repo = mkdtempSync(join(tmpdir(), 'cg-lockdown-outside-'));
  mkdirSync(join(repo, 'config-entries'));
  writeFileSync(join(repo, 'consul-gitops.yaml'), `targets:\n  - name: ent\n    namespaces: ${namespaces}\n`);
  writeFileSync(join(repo, 'config-entries/mesh.hcl'), 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n');
  commitAll(repo);
  const run = await runAdvise(consul!.url, ['--write-branch'], { cwd: repo, traces: {} });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { stdout: run.stdout, branches: execFileSync('git', ['branch', '--list'], { cwd: repo, encoding: 'utf8' }) };
}

describe('the mesh lockdown and namespaces the target does not manage', () => {
  it('is held back while a service in another namespace of the partition is permissive', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] } });
    consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
    consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: 'permissive' });
    const { stdout, branches } = await writeBranch('[default]');
    expect(stdout).toContain(
      'mesh lockdown: the mesh lockdown is held back: 1 service in a namespace this target does not manage is permissive in Consul: ledger (namespace other) (not managed by this target).',
    );
    expect(branches).not.toContain('mesh-lockdown');
  });

  it('is proposed once every namespace is strict', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] } });
    consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
    consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: 'strict' });
    const { branches } = await writeBranch('[default]');
    expect(branches).toContain('consul-gitops/mesh-lockdown/ent');
  });
});

describe('the scheduled advisor (schedule → reconcile Lambda), the same partition', () => {
  it('opens no lockdown PR and says why in the posture issue', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] } });
    consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
    consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: 'permissive' });
    const h = await startServerlessHarness({
      env: {
        TARGETS_CONFIG: 'targets:\n  - name: ent\n    dir: config-entries\n    namespaces: [default]\n    advisor:\n      stats: { envoy: {} }\n',
        CONSUL_HTTP_ADDR: consul.url,
      },
      overrides: { trafficSource: () => trafficDouble({}) },
    });
    try {
      h.github.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' }, 'mesh', { branch: 'master' });
      await h.tick('evt-1');
      expect(h.github.pulls.map((p) => p.head)).toEqual([]);
      expect(h.github.issues.find((i) => i.title === 'mTLS posture: ent')?.body).toContain(
        'the mesh lockdown is held back: 1 service in a namespace this target does not manage is permissive in Consul: ledger (namespace other)',
      );
    } finally {
      await h.close();
    }
  });
});
