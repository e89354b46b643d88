// `consul config write` sends a file's empty `UpstreamConfig {}` as `{}` (api.ServiceConfigEntry
// `UpstreamConfig *UpstreamConfiguration json:",omitempty"`: a non-nil pointer is encoded), and Consul
// stores and returns it (contract case "GET: an empty UpstreamConfig written is returned as {}").
// consul-gitops' write body must carry it too, or Consul holds another entry than `consul config
// write` would have left from the same file.
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

const stored = async (name: string) => (await fetch(`${consul.url}/v1/config/service-defaults/${name}`).then((r) => r.json())) as Record<string, unknown>;

describe('apply of a file with an empty UpstreamConfig block', () => {
  it('creates the entry with UpstreamConfig {} stored, as consul config write does; the next plan is empty', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nUpstreamConfig {}\n' });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], dir);
    expect(apply.code, apply.stderr).toBe(0);
    const live = await stored('api');
    expect(live.Protocol).toBe('http');
    expect(live.UpstreamConfig).toEqual({});
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', consul.url], dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('an update written for another field keeps UpstreamConfig {}', async () => {
    const file = (protocol: string) => `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\nUpstreamConfig {}\n`;
    const dir = tempTree({ 'config-entries/api.hcl': file('http') });
    expect((await runCli(['apply', '--auto-approve', '--consul', consul.url], dir)).code).toBe(0);
    const next = tempTree({ 'config-entries/api.hcl': file('grpc') });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], next);
    expect(apply.code, apply.stderr).toBe(0);
    const live = await stored('api');
    expect(live.Protocol).toBe('grpc');
    expect(live.UpstreamConfig).toEqual({});
  });

  it('a file without the block writes none', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
    expect((await runCli(['apply', '--auto-approve', '--consul', consul.url], dir)).code).toBe(0);
    expect(await stored('api')).not.toHaveProperty('UpstreamConfig');
  });
});
