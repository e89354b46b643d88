// An empty `UpstreamConfig {}` written to Consul (by `consul config write` or another tool) is kept
// and returned as `{}` (a non-nil *UpstreamConfiguration; contract case "GET: an empty
// UpstreamConfig written is returned as {}"). `plan` must not read that as a difference from a
// file that says `UpstreamConfig {}`, nor from one that leaves it out: neither configures anything.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let consul: DevServer;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await consul.close();
});

const put = (body: object) => fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) }).then((r) => r.text());
const managed = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' };

describe('service-defaults UpstreamConfig {} held by Consul', () => {
  it('is stored and read back as {}; plan shows no change for a file with it or without it', async () => {
    expect(await put({ Kind: 'service-defaults', Name: 'api', UpstreamConfig: {}, Meta: managed })).toBe('true');
    const live = (await fetch(`${consul.url}/v1/config/service-defaults/api`).then((r) => r.json())) as Record<string, unknown>;
    expect(live.UpstreamConfig).toEqual({});
    for (const text of ['Kind = "service-defaults"\nName = "api"\nUpstreamConfig {}\n', 'Kind = "service-defaults"\nName = "api"\n']) {
      const run = await runCli(['plan', '--detailed-exitcode', '--consul', consul.url], tempTree({ 'config-entries/api.hcl': text }));
      expect(run.stdout).toContain('No changes.');
      expect(run.code).toBe(0);
    }
  });
});
