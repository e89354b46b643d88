// The schedule's drift check (schedule function → reconcile in drift mode → the drift issue on the
// GitHub double; Consul is the dev server) when Consul differs from Git in a way no apply repairs:
// an entry consul-k8s owns that differs from its file, and an entry consul-gitops applied whose file
// is gone while pruning is off. Neither is "Consul matches Git": the issue must stay open and name them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

const ISSUE = 'consul-gitops: Consul differs from master (dc1)';
const targets = (prune: boolean) => `targets:
  - name: dc1
    dir: config-entries
    prune: ${prune}
`;

let h: ServerlessHarness | undefined;
afterEach(async () => {
  expect(h?.github.unexpected).toEqual([]);
  await h?.close();
  h = undefined;
});

async function put(entry: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h!.consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(await res.text()).toBe('true');
}

/** A harness whose Consul holds api permissive as consul-k8s wrote it from a Kubernetes CRD (Git will say strict). */
async function startWithK8sPermissiveApi(targetsConfig: string): Promise<ServerlessHarness> {
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: targetsConfig } });
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: { 'external-source': 'kubernetes' } });
  return h;
}

const driftIssue = () => h!.github.issues.find((i) => i.title === ISSUE);

describe('drift that no apply repairs', () => {
  beforeEach(() => {
    h = undefined;
  });

  it('an entry consul-k8s owns that differs from its file keeps the drift issue open', async () => {
    h = await startWithK8sPermissiveApi(targets(true));
    h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n' }, 'api strict', {
      branch: 'master',
    });
    await h.tick('evt-1');

    const issue = driftIssue();
    expect(issue?.state).toBe('open');
    expect(issue?.body).not.toContain('Consul matches');
    expect(issue?.body).toContain('service-defaults/api');
    expect(issue?.body).toContain('MutualTLSMode');
    expect(issue?.body).toContain('consul-gitops never writes it');
  });

  it('an entry consul-gitops applied whose file is gone, with pruning off, keeps the drift issue open', async () => {
    h = await startServerlessHarness({ env: { TARGETS_CONFIG: targets(false) } });
    await put({
      Kind: 'service-defaults',
      Name: 'old',
      Protocol: 'tcp',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/old.hcl' },
    });
    h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'drop old', { branch: 'master' });
    await put({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' },
    });
    await h.tick('evt-1');

    const issue = driftIssue();
    expect(issue?.state).toBe('open');
    expect(issue?.body).not.toContain('Consul matches');
    expect(issue?.body).toContain('service-defaults/old');
    expect(issue?.body).toContain('pruning is off');
  });

  it('a Consul that matches Git closes nothing it should not: no issue is opened', async () => {
    h = await startServerlessHarness({ env: { TARGETS_CONFIG: targets(false) } });
    h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'api', { branch: 'master' });
    await put({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' },
    });
    await h.tick('evt-1');
    expect(driftIssue()?.state ?? 'none').not.toBe('open');
  });
});

describe('the drift figures', () => {
  it('count an entry consul-k8s owns that differs from its file', async () => {
    h = await startWithK8sPermissiveApi(targets(true));
    h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n' }, 'api strict', {
      branch: 'master',
    });
    await h.tick('evt-1');
    expect(h.emf).toContainEqual(expect.objectContaining({ Target: 'dc1', DriftedEntries: 1 }));
  });
});

describe('driftMode: propose, when only an unwritable difference is left', () => {
  it('closes the drift PR without saying Consul matches Git', async () => {
    h = await startWithK8sPermissiveApi(`${targets(true)}    driftMode: propose\n`);
    h.github.addCommit(
      {
        'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
        'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
      },
      'api strict, web',
      { branch: 'master' },
    );
    const web = (protocol: string) =>
      put({
        Kind: 'service-defaults',
        Name: 'web',
        Protocol: protocol,
        Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' },
      });
    // web changed by hand: a drift PR is opened for it.
    await web('grpc');
    await h.tick('evt-1');
    const pr = h.github.pulls.find((p) => p.head === 'consul-gitops/drift/dc1')!;
    expect(pr.state).toBe('open');

    // web put back; api (consul-k8s) still differs from its file.
    await web('http');
    await h.tick('evt-2');
    expect(pr.state).toBe('closed');
    const said = h.github.comments.filter((c) => c.issue_number === pr.number).map((c) => c.body);
    expect(said.join('\n')).not.toContain('Consul matches Git');
    expect(said.join('\n')).toContain('Consul still differs from Git, but only in entries consul-gitops does not write');
    expect(said.join('\n')).toContain('service-defaults/api');
    expect(driftIssue()?.state).toBe('open');
  });
});
