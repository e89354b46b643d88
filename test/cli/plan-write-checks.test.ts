// `plan` says what Consul would say against the mesh as it will be: a chain check that needs an
// entry only Consul holds (a resolver not kept in Git) is judged with the live entries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';

describe('plan: discovery-chain checks against live entries', () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('refuses a split to a subset the live resolver does not define', async () => {
    const put = (body: object) => fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    expect((await put({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } })).status).toBe(200);
    expect((await put({ Kind: 'service-resolver', Name: 'web', Subsets: { v1: { Filter: 'Service.Meta.version == v1' } } })).status).toBe(200);
    const dir = tempTree({
      'config-entries/split.hcl':
        'Kind = "service-splitter"\nName = "web"\nSplits = [\n  { Weight = 90, ServiceSubset = "v1" },\n  { Weight = 10, ServiceSubset = "v2" },\n]\n',
    });
    const run = await runAgainst(server.url, planCommand, ['--detailed-exitcode'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr + run.stdout).toMatch(/split\.hcl:5:\d+: Splits\[1\]\.ServiceSubset: service "web" does not have a subset named "v2"/);
  });
});
