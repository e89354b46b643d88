// Proposal titles name the namespace (and partition) of a service outside `default`: `advise
// --open-prs` on an Enterprise target whose CRDs mirror Kubernetes namespaces, with `api` ready in
// two of them, opens two pull requests a reviewer can tell apart in the list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { scopedServiceName } from '../../src/core/advisor/service-scope.ts';
import { tempTree } from '../support/run-cli.ts';
import { trafficBy } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { serviceDefaultsCrd } from '../support/crd-documents.ts';

const serviceDefaults = (kubeNs: string, mode: string) => serviceDefaultsCrd(kubeNs, ['protocol: http', `mutualTLSMode: ${mode}`]);
const CONFIG = ['targets:', '  - name: ent', '    namespaces: all', '    crdNamespaces:', '      mirroringK8S: true', ''].join('\n');
const TREE = {
  'consul-gitops.yaml': CONFIG,
  'config-entries/payments/api.yaml': serviceDefaults('payments', 'permissive'),
  'config-entries/billing/api.yaml': serviceDefaults('billing', 'permissive'),
};
const NOW = new Date('2026-11-25T12:00:00Z');

let consul: EnterpriseDouble;
let github: GitHubDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
  for (const ns of ['payments', 'billing'])
    consul.put({
      Kind: 'service-defaults',
      Name: 'api',
      Namespace: ns,
      Protocol: 'http',
      MutualTLSMode: 'permissive',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${ns}/api.yaml` },
    });
  github = await startGitHubDouble({ token: TOKEN });
});
afterEach(async () => {
  await consul.close();
  await github.close();
});

describe('advise --open-prs with the same service in two namespaces', () => {
  it('titles and body headings name each namespace; the branches stay as they were', async () => {
    github.addCommit(TREE);
    const source = trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]);
    let stderr = '';
    const code = await main(
      ['advise', '--consul', consul.url, '--stats', 'envoy', '--open-prs'],
      { stdout: { write: () => {} }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
      {
        now: () => NOW,
        trafficSource: () => source,
        env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url },
        github: { throttle: false, retries: 0 },
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const pulls = [...github.pulls].sort((a, b) => a.head.localeCompare(b.head));
    expect(pulls.map((p) => [p.title, p.head])).toEqual([
      ['mTLS: move api (namespace billing) to strict', 'consul-gitops/strict/default/billing/api'],
      ['mTLS: move api (namespace payments) to strict', 'consul-gitops/strict/default/payments/api'],
    ]);
    expect(
      pulls.map((p) =>
        String(p.body)
          .split('\n')
          .find((l) => l.startsWith('## ')),
      ),
    ).toEqual(['## Move `api` (namespace `billing`) to strict mTLS', '## Move `api` (namespace `payments`) to strict mTLS']);
    expect(github.unexpected).toEqual([]);
  });
});

describe('the service as a title names it', () => {
  it('is the name alone in the default namespace and partition, whatever their case or spelling', () => {
    for (const [namespace, partition] of [
      ['default', 'default'],
      ['', ''],
      ['Default', 'DEFAULT'],
    ])
      expect(scopedServiceName({ name: 'api', namespace, partition })).toBe('api');
  });

  it('says a partition other than default, with the namespace when that is not default either', () => {
    expect(scopedServiceName({ name: 'api', namespace: 'default', partition: 'eu' })).toBe('api (partition eu)');
    expect(scopedServiceName({ name: 'api', namespace: 'payments', partition: 'eu' })).toBe('api (namespace payments, partition eu)');
  });
});
