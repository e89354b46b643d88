// A sidecar registered in the middle of the window, already counting plaintext by its first
// scrape: `advise --stats envoy` through main(), simulated sidecars registered in the dev server.
// Its first sample's counters are not a baseline: its Envoy started inside the window (uptime says
// so), so every connection it counted is plaintext inside the window, and the service is not ready.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { tempTree } from '../support/run-cli.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const BORN = T0 + 5 * MINUTE + 30_000;
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

let server: DevServer;
let sidecars: SimulatedSidecars[] = [];
let clock = T0;
beforeEach(async () => {
  clock = T0;
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  // The instance that was there all along: mTLS only.
  const old = await startSimulatedSidecars([{ service: 'billing', instance: 'billing-5c4b-aaaaa', protocol: 'http', mtls: { handshakesPerSecond: 2 } }], {
    now: () => clock,
  });
  await registerSimulatedSidecars(server.url, old.sidecars);
  sidecars = [old];
});
afterEach(async () => {
  for (const s of sidecars) await s.close();
  await server.close();
});

async function advise(): Promise<{ services: { service: string; verdict: string; reasons: string[]; evidence: { permissive: { connections: number } } }[] }> {
  let stdout = '';
  const code = await main(
    ['advise', '--consul', server.url, '--stats', 'envoy', '--window', '10m', '--json'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => {} }, cwd: tempTree(TREE) },
    { now: () => new Date(clock) },
  );
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('advise --stats envoy, a sidecar born inside the window', () => {
  it('counts the plaintext it took before its first scrape: still-receiving-plaintext, never ready', async () => {
    for (let i = 0; i <= 11; i++) {
      clock = T0 + i * MINUTE;
      if (clock >= BORN && sidecars.length === 1) {
        // Born at BORN (its counters and uptime start there: the simulation's time origin is its
        // clock's first reading, so that one reads 0); a legacy caller finds it at once. Its first
        // scrape, 30 s later, already shows all 20 plaintext connections it will ever take.
        let origin = true;
        const born = await startSimulatedSidecars(
          [
            {
              service: 'billing',
              instance: 'billing-5c4b-bbbbb',
              protocol: 'http',
              plaintext: { connectionsPerSecond: 1, stopsAfterMs: 20_000 },
              mtls: { handshakesPerSecond: 1 },
            },
          ],
          { now: () => (origin ? ((origin = false), 0) : clock - BORN) },
        );
        await registerSimulatedSidecars(server.url, born.sidecars);
        sidecars.push(born);
      }
      await advise();
    }
    const billing = (await advise()).services.find((s) => s.service === 'billing')!;
    expect(billing.verdict).toBe('still-receiving-plaintext');
    expect(billing.evidence.permissive.connections).toBe(20);
    expect(billing.reasons.join('\n')).toContain('instance billing-5c4b-bbbbb: 20 plaintext connections');
  });
});
