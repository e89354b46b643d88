// The scheduled advisor (schedule → reconcile Lambda) with `stats: { envoy: {} }` on the runtime's
// clock: the window is [now - window, now] by that clock, so each run's read of the sidecars must be
// stamped by it too. Stamped by the machine's wall clock instead, a runtime whose clock is ahead of
// it (here: a month) would file every read before the window it is evidence for, and the history
// would never cover the window.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { decodeHistory } from '../../src/adapters/stats/history.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

const MINUTE = 60_000;
// A month after the wall clock, on a whole minute.
const T0 = Math.floor((Date.now() + 30 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};
const TARGETS = `targets:
  - name: dc1
    dir: config-entries
    advisor:
      window: 10m
      stats: { envoy: { interval: 1m, allowedNetworks: [127.0.0.0/8] } }
`;

let clock = T0;
let h: ServerlessHarness;
let sidecars: SimulatedSidecars;
beforeEach(async () => {
  clock = T0;
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: TARGETS }, overrides: { now: () => new Date(clock) } });
  // Callers use mTLS only.
  sidecars = await startSimulatedSidecars([{ service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', mtls: { handshakesPerSecond: 1 } }], {
    now: () => clock,
  });
  await registerSimulatedSidecars(h.consul.url, sidecars.sidecars);
  h.github.addCommit(TREE, 'billing permissive', { branch: 'master' });
});
afterEach(async () => {
  await sidecars.close();
  await h.close();
});

describe('the scheduled advisor, envoy source, on the runtime’s clock', () => {
  it('files each run’s read in that run’s window: once the history covers the window, billing is proposed', async () => {
    for (let i = 0; i <= 11; i++) {
      clock = T0 + i * MINUTE;
      await h.tick(`evt-${i}`);
    }
    const issue = h.github.issues.find((x) => x.title === 'mTLS posture: dc1');
    expect(issue?.body).toContain('ready-for-strict');
    expect(h.github.pulls.map((p) => p.head)).toEqual(['consul-gitops/strict/default/default/billing']);
    // The read history in Consul KV is stamped by the runtime's clock, the newest at the last run.
    const res = await fetch(`${h.consul.url}/v1/kv/consul-gitops/state/dc1/advisor/history/default/default/billing/i/billing-5c4b-fghij?raw`);
    const times = (decodeHistory(await res.text()) ?? []).map((x) => x.t);
    expect(times.at(-1)).toBe(T0 + 11 * MINUTE);
    expect(times.every((t) => t >= T0)).toBe(true);
  });
});
