// `advise` and `advise --open-prs` on a target whose CRDs consul-k8s maps to Consul namespaces
// (consul-gitops.yaml `crdNamespaces`), through main() against the loopback Enterprise double: the
// same service name in two Kubernetes namespaces is two service-defaults in two Consul namespaces
// (control-plane/namespaces/namespaces.go ConsulNamespace), judged apart, and the pull request
// flips the file of the one that is ready and no other.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { commitAll } from '../support/git-repo.ts';
import { tempTree } from '../support/run-cli.ts';
import { askedOf, trafficBy, type TrafficDouble } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { serviceDefaultsCrd } from '../support/crd-documents.ts';

const serviceDefaults = (kubeNs: string, mode: string) => serviceDefaultsCrd(kubeNs, ['protocol: http', `mutualTLSMode: ${mode}`]);

const CONFIG = [
  'targets:',
  '  - name: ent',
  '    namespaces: all',
  '    crdNamespaces:',
  '      mirroringK8S: true',
  '      mirroringK8SPrefix: k8s-',
  '',
].join('\n');
const TREE = {
  'consul-gitops.yaml': CONFIG,
  'config-entries/payments/api.yaml': serviceDefaults('payments', 'permissive'),
  'config-entries/billing/api.yaml': serviceDefaults('billing', 'permissive'),
};
const NOW = new Date('2026-11-25T12:00:00Z');

/** Sidecar traces by Consul namespace: `api` in k8s-payments no longer sees plaintext, in k8s-billing it still does. */
function traffic(): TrafficDouble {
  return trafficBy((service) => [{ plaintextPerMinute: service.namespace === 'k8s-billing' ? 3 : 0, handshakesPerMinute: 12 }]);
}

let consul: EnterpriseDouble;
let github: GitHubDouble | undefined;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
  // As apply left them: one service-defaults per mirrored namespace, both ours.
  for (const kube of ['payments', 'billing'])
    consul.put({
      Kind: 'service-defaults',
      Name: 'api',
      Namespace: `k8s-${kube}`,
      Protocol: 'http',
      MutualTLSMode: 'permissive',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${kube}/api.yaml` },
    });
});
afterEach(async () => {
  await consul.close();
  await github?.close();
  github = undefined;
});

async function advise(args: string[], env: Record<string, string> = {}, cwd = tempTree(TREE)) {
  let stdout = '';
  let stderr = '';
  const source = traffic();
  const code = await main(
    ['advise', '--consul', consul.url, '--stats', 'envoy', ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => NOW, trafficSource: () => source, env, github: { throttle: false, retries: 0 } },
  );
  return { code, stdout, stderr, asked: askedOf(source) };
}

describe('advise with crdNamespaces (mirroringK8S)', () => {
  it('judges each CRD as the service-defaults of its mapped Consul namespace, with its own file and traffic', async () => {
    const run = await advise(['--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(
      out.services.map((s: { service: string; namespace: string; verdict: string; origin: { file?: string } }) => [
        s.service,
        s.namespace,
        s.verdict,
        s.origin.file,
      ]),
    ).toEqual([
      ['api', 'k8s-billing', 'still-receiving-plaintext', 'config-entries/billing/api.yaml'],
      ['api', 'k8s-payments', 'ready-for-strict', 'config-entries/payments/api.yaml'],
    ]);
    expect(out.drift).toEqual([]);
    expect(run.asked.sort()).toEqual(['default/k8s-billing/api', 'default/k8s-payments/api']);
  });

  it('--open-prs flips exactly the file of the ready namespace', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await advise(['--open-prs'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(github.pulls.map((p) => [p.title, p.head])).toEqual([
      ['mTLS: move api (namespace k8s-payments) to strict', 'consul-gitops/strict/default/k8s-payments/api'],
    ]);
    const files = github.filesAt('consul-gitops/strict/default/k8s-payments/api');
    expect(files['config-entries/payments/api.yaml']).toBe(serviceDefaults('payments', 'strict'));
    expect(files['config-entries/billing/api.yaml']).toBe(TREE['config-entries/billing/api.yaml']);
    expect(github.unexpected).toEqual([]);
  });

  it('--write-branch commits the same one-file change on a local branch', async () => {
    const cwd = tempTree(TREE);
    const git = commitAll(cwd);
    const run = await advise(['--write-branch'], {}, cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const branch = 'consul-gitops/strict/default/k8s-payments/api';
    expect(git('diff', '--name-only', 'main', branch).trim()).toBe('config-entries/payments/api.yaml');
    expect(git('show', `${branch}:config-entries/payments/api.yaml`)).toBe(serviceDefaults('payments', 'strict'));
  });
});

describe('advise with crdNamespaces (consulDestinationNamespace)', () => {
  it('a service inheriting permissive mode gets a new ServiceDefaults that maps to the destination namespace', async () => {
    await consul.close();
    // web's sidecar is in the client's own namespace, `team`.
    consul = await startEnterpriseDouble({ sidecarsIn: { team: ['web'] } });
    consul.put({
      Kind: 'proxy-defaults',
      Name: 'global',
      MutualTLSMode: 'permissive',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/proxy-defaults.yaml' },
    });
    const proxyDefaults = [
      'apiVersion: consul.hashicorp.com/v1alpha1',
      'kind: ProxyDefaults',
      'metadata:',
      '  name: global',
      'spec:',
      '  mutualTLSMode: permissive',
      '',
    ].join('\n');
    const config = [
      'targets:',
      '  - name: ent',
      '    consul:',
      '      namespace: team',
      '    crdNamespaces:',
      '      consulDestinationNamespace: team',
      '',
    ].join('\n');
    const cwd = tempTree({ 'consul-gitops.yaml': config, 'config-entries/proxy-defaults.yaml': proxyDefaults });
    const git = commitAll(cwd);
    const run = await advise(['--write-branch'], {}, cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const branch = 'consul-gitops/strict/default/team/web';
    expect(git('diff', '--name-only', 'main', branch).trim()).toBe('config-entries/web.yaml');
    // No metadata.namespace: consul-k8s writes every Kubernetes namespace's CRD to "team".
    expect(git('show', `${branch}:config-entries/web.yaml`)).toBe(
      ['apiVersion: consul.hashicorp.com/v1alpha1', 'kind: ServiceDefaults', 'metadata:', '  name: web', 'spec:', '  mutualTLSMode: strict', ''].join('\n'),
    );
  });
});
