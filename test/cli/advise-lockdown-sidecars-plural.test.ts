// `advise --write-branch` through main() against the dev server with two sidecars registered with
// their own `Proxy.MutualTLSMode = "permissive"` while Git is strict: the held-back lockdown says so
// in plural, naming both, and writes no lockdown branch.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { commitAll } from '../support/git-repo.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';

const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  expect(
    await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }) })).text(),
  ).toBe('true');
  await registerSidecar(server.url, 'api', { MutualTLSMode: 'permissive' });
  await registerSidecar(server.url, 'web', { MutualTLSMode: 'permissive' }, { id: 'web-sidecar-proxy', node: 'n2', address: '10.0.0.8' });
});
afterEach(() => server.close());

describe('advise --write-branch, two sidecars registered permissive', () => {
  it('holds the lockdown back naming both, in plural, and writes no lockdown branch', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'cg-lockdown-sidecars-'));
    mkdirSync(join(repo, 'config-entries'));
    for (const [path, text] of Object.entries(TREE)) writeFileSync(join(repo, path), text);
    const git = commitAll(repo);
    const run = await runAdvise(server.url, ['--write-branch'], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'mesh lockdown: the mesh lockdown is held back: 2 sidecar registrations set their own Proxy.MutualTLSMode = "permissive" ' +
        '(api-sidecar-proxy, web-sidecar-proxy), which win over every config entry. Re-register them without it first.',
    );
    expect(git('branch', '--list', 'consul-gitops/mesh-lockdown/default')).toBe('');
  });
});
