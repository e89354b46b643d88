// `consul-gitops audit` and `audit --posture` through main(), against the dev server, for a sidecar
// registered with its own `Proxy.MutualTLSMode = "permissive"`: the registration's mode wins over
// service-defaults and proxy-defaults (Consul's agent/configentry/merge_service_config.go), so every
// config entry saying strict does not make the mesh strict. The audit must say so, never "strict".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
  // Everything config entries can say is strict and locked down.
  await put('/v1/config', { Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'strict' });
  await registerSidecar(server.url, 'web');
});
afterEach(async () => {
  await server.close();
});

async function put(path: string, body: unknown): Promise<void> {
  expect(await (await fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}
const lockDown = () => put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });

describe('audit, a sidecar registered permissive while every config entry is strict', () => {
  it('is not strict: the text, --json and --require-strict name the sidecar', async () => {
    // Registered permissive while the mesh allowed it, then the mesh was locked down.
    await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    await registerSidecar(server.url, 'api', { MutualTLSMode: 'permissive' });
    await lockDown();
    const dir = tempTree({});

    const text = await runCli(['audit', '--consul', server.url, '--require-strict'], dir);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('permissive sidecar registrations (Proxy.MutualTLSMode): api-sidecar-proxy');
    expect(text.stdout).not.toContain('strict: the mesh accepts mTLS only');
    expect(text.stdout).toContain(
      'sidecars registered with Proxy.MutualTLSMode = "permissive", which wins over service-defaults and proxy-defaults: api-sidecar-proxy',
    );

    const json = JSON.parse((await runCli(['audit', '--json', '--consul', server.url], dir)).stdout) as { strict: boolean; permissiveSidecars: string[] };
    expect(json.strict).toBe(false);
    expect(json.permissiveSidecars).toEqual(['api-sidecar-proxy']);

    const posture = await runCli(['audit', '--posture', '--json', '--consul', server.url, '--require', 'mesh-no-permissive'], dir);
    const finding = (JSON.parse(posture.stdout) as { findings: { id: string; status: string; evidence: string }[] }).findings.find(
      (f) => f.id === 'mesh-no-permissive',
    );
    expect(finding).toMatchObject({ status: 'fail', evidence: 'MutualTLSMode = "permissive": sidecar registration api-sidecar-proxy' });
    expect(posture.code).toBe(1);
  });

  it('is strict once no registration sets the mode', async () => {
    await lockDown();
    const r = await runCli(['audit', '--consul', server.url, '--require-strict'], tempTree({}));
    expect(r.stdout).toContain('permissive sidecar registrations (Proxy.MutualTLSMode): none');
    expect(r.stdout).toContain('strict: the mesh accepts mTLS only and is locked down.');
    expect(r.code).toBe(0);
  });
});
