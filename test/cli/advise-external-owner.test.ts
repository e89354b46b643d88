// `consul-gitops advise` through main() against the dev server, for a service whose service-defaults
// consul-k8s owns (Meta external-source = kubernetes) and says permissive, while Git's file says
// strict. consul-gitops never writes that entry (plan skips it), so the service stays permissive
// whatever apply does: it is judged on its traffic and blocked, never "drift that apply repairs".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { trafficDouble } from '../support/traffic-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  const put = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
  expect(await (await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true })).text()).toBe('true');
  const written = await put('/v1/config', {
    Kind: 'service-defaults',
    Name: 'api',
    Protocol: 'http',
    MutualTLSMode: 'permissive',
    Meta: { 'external-source': 'kubernetes' },
  });
  expect(await written.text()).toBe('true');
  await registerSidecar(server.url);
});
afterAll(async () => {
  await server.close();
});

const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};

async function advise(traces: Parameters<typeof trafficDouble>[0]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', server.url, '--stats', 'envoy', '--json'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
    { now: () => new Date('2026-11-25T12:00:00Z'), trafficSource: () => trafficDouble(traces) },
  );
  return { code, stdout, stderr };
}

interface AdviceJson {
  services: Array<{ service: string; verdict: string; reasons: string[] }>;
  drift: Array<{ service: string }>;
}

describe('advise, a permissive service-defaults consul-k8s owns while Git says strict', () => {
  it('judges it (still receiving plaintext) instead of listing it as drift apply would repair', async () => {
    const run = await advise({ api: [{ plaintextPerMinute: 3, handshakesPerMinute: 20 }] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AdviceJson;
    expect(report.drift).toEqual([]);
    expect(report.services.map((s) => [s.service, s.verdict])).toEqual([['api', 'still-receiving-plaintext']]);
  });

  it('with no plaintext left, is blocked: the change belongs in consul-k8s', async () => {
    const run = await advise({ api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] });
    const report = JSON.parse(run.stdout) as AdviceJson;
    expect(report.drift).toEqual([]);
    expect(report.services.map((s) => s.verdict)).toEqual(['blocked']);
    expect(report.services[0].reasons[0]).toContain('managed by kubernetes (external-source)');
  });
});

describe('advise, a permissive service-defaults without the ownership marker while Git says strict', () => {
  it('lists it as drift and says apply needs --adopt to repair it', async () => {
    const put = (body: unknown) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    expect(await (await put({ Kind: 'service-defaults', Name: 'pay', Protocol: 'http', MutualTLSMode: 'permissive' })).text()).toBe('true');
    let stdout = '';
    const code = await main(
      ['advise', '--consul', server.url, '--stats', 'envoy'],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => undefined },
        cwd: tempTree({ ...TREE, 'config-entries/pay.hcl': 'Kind = "service-defaults"\nName = "pay"\nProtocol = "http"\nMutualTLSMode = "strict"\n' }),
      },
      { now: () => new Date('2026-11-25T12:00:00Z'), trafficSource: () => trafficDouble({ api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] }) },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Drift: strict in Git but still permissive in Consul');
    expect(stdout).toContain('apply --adopt');
    expect(stdout).toMatch(/\n {2}pay: apply --adopt repairs it: service-defaults\/pay in Consul lacks the consul-gitops ownership marker\n/);
    await fetch(`${server.url}/v1/config/service-defaults/pay`, { method: 'DELETE' });
  });
});
