// The `mTLS posture: <target>` dashboard carries the production-checklist findings (`audit
// --posture`) through the production path: schedule function → Lambda API (double) → reconcile
// function (drift mode) → advisor → the issue on the GitHub double; Consul is the dev server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const TARGETS = 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permissive"\n',
};

let h: ServerlessHarness;

beforeEach(async () => {
  h = await startServerlessHarness({
    env: { TARGETS_CONFIG: TARGETS },
    overrides: { trafficSource: () => trafficDouble({ api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] }) },
  });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const tick = (id: string) => h.tick(id);
const dashboard = () => h.github.issues.find((i) => i.title === 'mTLS posture: dc1')!;

describe('the posture dashboard on the schedule', () => {
  it('lists the failing checks with their fix, and follows the cluster when a finding changes', async () => {
    h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    await tick('evt-1');
    const body = dashboard().body;
    expect(body).toContain('### Security posture');
    // consul agent -dev: ACLs off, plain http, no gossip key.
    expect(body).toMatch(/14 checks of the production checklist \(`consul-gitops audit --posture`\): \d+ pass, \d+ warn, \d+ fail, 0 unknown\./);
    expect(body).toContain('| `acl-default-deny` | **fail** | ACLs are disabled');
    expect(body).toContain('enable ACLs on every agent: acl { enabled = true, default\\_policy = "deny" }');
    expect(body).toContain('| `transport-gossip-encryption` | **fail** |');
    expect(body).not.toContain('`mesh-tls-min-version`');
    expect(h.logs.join('\n')).toMatch(/posture: \d+ fail, 0 unknown, \d+ warn, \d+ pass/);
    // The dashboard's figures are the CloudWatch metrics' figures.
    const failing = Number(/: \d+ pass, \d+ warn, (\d+) fail/.exec(body)![1]);
    expect(h.emf).toContainEqual(expect.objectContaining({ Target: 'dc1', PostureChecksFailing: failing, PostureChecksUnknown: 0 }));

    // Someone weakens the mesh's TLS by hand: the next run's dashboard says so, with the fix.
    const res = await fetch(`${h.consul.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, TLS: { Incoming: { TLSMinVersion: 'TLSv1_0' } } }),
    });
    expect(await res.text()).toBe('true');
    await tick('evt-2');
    expect(h.github.issues.filter((i) => i.title === 'mTLS posture: dc1')).toHaveLength(1);
    expect(dashboard().body).toContain('| `mesh-tls-min-version` | **fail** | mesh TLS.Incoming.TLSMinVersion TLSv1\\_0');
  });
});
