// The scheduled advisor under Lambda and `serve` with `stats: { envoy: {} }`: the catalog names each
// sidecar's stats address, and whoever may register a service chooses it. On a server, loopback is
// the advisor's own host (serve's own /metrics, a Lambda's runtime API), so it is not among the
// default networks there: a sidecar registered at 127.0.0.1 is not read, and the posture issue says
// why, naming advisor.stats.envoy.allowedNetworks. Listed there, it is read. (The CLI keeps loopback
// by default: `npm start`'s demo and dev agents register sidecars at 127.0.0.1; test/e2e/demo.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import type { DevServer } from '../../src/dev-server/server.ts';

const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};
const targets = (envoy: string) => `targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: ${envoy} }\n`;
const LISTED = '{ allowedNetworks: [127.0.0.0/8] }';
const HISTORY = 'consul-gitops/state/dc1/advisor/history/default/default/billing/i/billing-5c4b-fghij';
const REFUSED = /not sent: 127\.0\.0\.1 is loopback: list it in advisor\.stats\.envoy\.allowedNetworks/;

let sidecars: SimulatedSidecars;
beforeEach(async () => {
  sidecars = await startSimulatedSidecars([{ service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', mtls: { handshakesPerSecond: 1 } }]);
  return () => sidecars.close();
});

/** Whether the advisor read the sidecar: every read is kept in its history in Consul KV. */
const wasRead = async (consul: DevServer) => (await fetch(`${consul.url}/v1/kv/${HISTORY}`)).status === 200;

describe('the schedule → reconcile Lambdas', () => {
  let h: ServerlessHarness;
  afterEach(async () => {
    await h.close();
  });
  const tick = async (envoy: string) => {
    h = await startServerlessHarness({ env: { TARGETS_CONFIG: targets(envoy) } });
    await registerSimulatedSidecars(h.consul.url, sidecars.sidecars);
    h.github.addCommit(TREE, 'billing permissive', { branch: 'master' });
    await h.tick('evt-1');
    return h.github.issues.find((x) => x.title === 'mTLS posture: dc1')?.body ?? '';
  };

  it('do not read a sidecar registered at 127.0.0.1 by default, and the posture issue names the setting', async () => {
    const body = await tick('{}');
    expect(await wasRead(h.consul)).toBe(false);
    expect(body).toMatch(REFUSED);
  });

  it('read it when allowedNetworks lists loopback', async () => {
    const body = await tick(LISTED);
    expect(await wasRead(h.consul)).toBe(true);
    expect(body).not.toMatch(/loopback/);
  });
});

describe('serve’s timer', () => {
  let s: ServeHarness;
  afterEach(async () => {
    await s.close();
  });
  const run = async (envoy: string) => {
    s = await startServeHarness({ startServe: false, env: { TARGETS_CONFIG: targets(envoy) } });
    await registerSimulatedSidecars(s.consul.url, sidecars.sidecars);
    s.github.addCommit(TREE, 'billing permissive', { branch: 'master' });
    await s.startServe({ scheduleIntervalMs: 100 });
    const issue = () => s.github.issues.find((x) => x.title === 'mTLS posture: dc1');
    for (let i = 0; i < 300 && !issue(); i++) await new Promise((r) => setTimeout(r, 50));
    await s.serve.close();
    return issue()?.body ?? '';
  };

  it('does not read a sidecar registered at 127.0.0.1 by default, and says which setting lets it', async () => {
    const body = await run('{}');
    expect(await wasRead(s.consul)).toBe(false);
    expect(body).toMatch(REFUSED);
  });

  it('reads it when allowedNetworks lists loopback', async () => {
    await run(LISTED);
    expect(await wasRead(s.consul)).toBe(true);
  });
});
