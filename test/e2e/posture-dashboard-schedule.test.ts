// The `mTLS posture: <target>` dashboard carries the production-checklist findings (`audit
// --posture`) through the production path: schedule function → Lambda API (double) → reconcile
// function (drift mode) → advisor → the issue on the GitHub double; Consul is the dev server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const TARGETS = 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permissive"\n',
};

let consul: DevServer;
let github: GitHubDouble;
let lambda: LambdaDouble;
let logs: string[];

beforeEach(async () => {
  consul = await startDevServer({ port: 0 });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  lambda = await startLambdaDouble();
  logs = [];
  const reconcile = createReconcileHandler({
    env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN: 'ghp_dashboard0123456789', GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master', TARGETS_CONFIG: TARGETS },
    overrides: { github: { throttle: false, retries: 0 }, trafficSource: () => trafficDouble({ api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] }) },
    log: (l) => logs.push(l),
  });
  lambda.onInvoke = (inv) => reconcile(inv.payload);
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close(), lambda.close()]);
});

async function tick(id: string) {
  lambda.runs.length = 0;
  await createScheduleHandler({
    env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', GITHUB_REPOSITORY: 'Codertocat/Hello-World', DEFAULT_BRANCH: 'master' },
    lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    log: () => {},
  })({ id });
  await Promise.all(lambda.runs);
}

const dashboard = () => github.issues.find((i) => i.title === 'mTLS posture: dc1')!;

describe('the posture dashboard on the schedule', () => {
  it('lists the failing checks with their fix, and follows the cluster when a finding changes', async () => {
    github.addCommit(tree, 'onboard api', { branch: 'master' });
    await tick('evt-1');
    const body = dashboard().body;
    expect(body).toContain('### Security posture');
    // consul agent -dev: ACLs off, plain http, no gossip key.
    expect(body).toMatch(/14 checks of the production checklist \(`consul-gitops audit --posture`\): \d+ pass, \d+ warn, \d+ fail, 0 unknown\./);
    expect(body).toContain('| `acl-default-deny` | **fail** | ACLs are disabled');
    expect(body).toContain('enable ACLs on every agent: acl \\{ enabled = true, default\\_policy = "deny" \\}');
    expect(body).toContain('| `transport-gossip-encryption` | **fail** |');
    expect(body).not.toContain('`mesh-tls-min-version`');
    expect(logs.join('\n')).toMatch(/posture: \d+ fail, 0 unknown, \d+ warn, \d+ pass/);

    // Someone weakens the mesh's TLS by hand: the next run's dashboard says so, with the fix.
    const res = await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, TLS: { Incoming: { TLSMinVersion: 'TLSv1_0' } } }) });
    expect(await res.text()).toBe('true');
    await tick('evt-2');
    expect(github.issues.filter((i) => i.title === 'mTLS posture: dc1')).toHaveLength(1);
    expect(dashboard().body).toContain('| `mesh-tls-min-version` | **fail** | mesh TLS.Incoming.TLSMinVersion TLSv1\\_0');
  });
});
