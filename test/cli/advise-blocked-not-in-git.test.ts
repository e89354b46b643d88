// `advise` through main() against the dev server, for a permissive service whose service-defaults
// another tool manages (Meta managed-by = terraform) and no file of the tree defines. Its traffic
// would allow strict, but no proposal can change a mode Git does not hold, and `apply --adopt`
// adopts only entries a file defines: the block says to add it to Git first, and apply shows why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const TREE = { 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' };
const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  const put = async (body: unknown) =>
    expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: { 'managed-by': 'terraform' } });
  await registerSidecar(server.url);
});
afterEach(() => server.close());

const reasonsOf = async () => {
  const run = await runAdvise(server.url, ['--json'], { cwd: tempTree(TREE), traces });
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { services: { service: string; reasons: string[] }[] }).services.find((s) => s.service === 'api')?.reasons ?? [];
};

describe('advise, a permissive service another tool manages and no file defines', () => {
  it('says to add it to Git before adopting, since apply --adopt leaves an entry no file defines alone', async () => {
    const blocked = (await reasonsOf()).find((r) => r.startsWith('blocked: ')) ?? '';
    expect(blocked).toBe(
      'blocked: service-defaults/api exists in Consul, managed by terraform, but in no file of this tree: ' +
        'add it to Git (and apply --adopt) before its mode can be changed (the traffic evidence alone would allow strict)',
    );
    // What apply --adopt does with it: nothing.
    const apply = await runAgainst(server.url, applyCommand, ['--adopt', '--auto-approve'], tempTree(TREE));
    expect(apply.code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/service-defaults/api`)).json()) as { Meta: unknown; MutualTLSMode: string };
    expect(live).toMatchObject({ Meta: { 'managed-by': 'terraform' }, MutualTLSMode: 'permissive' });
  });
});
