// consul-gitops.yaml `crdNamespaces` on the path without a CLI: `serve` (the webhook, the same use
// cases as the Lambda functions) hands the target's option to the plan, as `plan` does. The loopback
// dev server is CE, which has no namespaces: the pull request's plan says so and nothing is written
// (the Enterprise mapping itself is pinned through the CLI in test/cli/crd-namespaces-mapped.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { pullRequestOpened } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const crd = [
  'apiVersion: consul.hashicorp.com/v1alpha1',
  'kind: ServiceDefaults',
  'metadata:',
  '  name: api',
  '  namespace: billing',
  'spec:',
  '  protocol: http',
  '',
].join('\n');
const targets = 'targets:\n  - name: default\n    dir: config-entries\n    crdNamespaces:\n      consulDestinationNamespace: default\n';

let h: ServeHarness;
afterEach(() => h.close());

describe('serve: crdNamespaces against a CE Consul', () => {
  it("the pull request's plan refuses it, naming the option; nothing is written", async () => {
    h = await startServeHarness({ startServe: false });
    h.github.addCommit({ 'config-entries/README.md': 'entries\n' }, 'base', { branch: 'master' });
    const number = h.github.addPullRequest({ head: 'add-api', files: { 'config-entries/api.yaml': crd } });
    await h.startServe({ env: { TARGETS_CONFIG: targets } });
    expect(await h.deliver('pull_request', pullRequestOpened(h.github, number, 'add-api'))).toBe(202);
    expect(h.github.comments).toHaveLength(1);
    expect(h.github.comments[0].body).toContain('crdNamespaces');
    expect(h.github.comments[0].body).toContain('is Community Edition, which has no namespaces');
    const listed = await fetch(`${h.consul.url}/v1/config/service-defaults`).then((r) => r.json());
    expect(listed).toEqual([]);
  });
});
