// `advise --stats envoy` through main() on a clock that moves while the run works, as a real one
// does: the window ends when the run starts, and the sidecars are read a moment later. That read is
// the freshest evidence there is, so it belongs to this run's window; otherwise plaintext since the
// previous run would be seen one run late (and a PR opened on stale data in between).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { tempTree } from '../support/run-cli.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

let server: DevServer;
let sidecars: SimulatedSidecars;
let clock = T0;
beforeEach(async () => {
  clock = T0;
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  // A legacy batch job still calls billing in plaintext, once a second.
  sidecars = await startSimulatedSidecars(
    [{ service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', plaintext: { connectionsPerSecond: 1 }, mtls: { handshakesPerSecond: 1 } }],
    { now: () => clock },
  );
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
});
afterEach(async () => {
  await sidecars.close();
  await server.close();
});

/** One run; every reading of the clock during it finds it 200 ms later. */
async function advise(): Promise<{
  window: { end: string };
  services: { service: string; verdict: string; evidence: { permissive: { lastSeenAt?: string } } }[];
}> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', server.url, '--stats', 'envoy', '--window', '3m', '--json'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
    { now: () => new Date((clock += 200)) },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('advise --stats envoy, the clock moving during a run', () => {
  it('counts this run’s own read of the sidecars: plaintext is last seen now, not a run ago', async () => {
    let run = await advise();
    for (let i = 1; i <= 5; i++) {
      clock = T0 + i * MINUTE;
      run = await advise();
    }
    const billing = run.services.find((s) => s.service === 'billing')!;
    expect(billing.verdict).toBe('still-receiving-plaintext');
    const end = Date.parse(run.window.end);
    expect(end).toBeGreaterThanOrEqual(T0 + 5 * MINUTE);
    // Seen by the read made in this run, within the second the run took, not by last minute's.
    expect(end - Date.parse(billing.evidence.permissive.lastSeenAt ?? '')).toBeLessThan(1000);
  });
});
