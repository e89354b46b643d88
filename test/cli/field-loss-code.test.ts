// apply through the CLI's main(): an update refused because it would drop live fields consul-gitops
// does not know names its code (field-loss) on stderr and in --json, exits 1, and writes nothing;
// one refused because the live entry is not managed names adopt-required.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerHolding } from '../support/dev-server-holding.ts';

let server: DevServer;
beforeEach(async () => {
  const entry = {
    Kind: 'service-defaults',
    Name: 'web',
    Protocol: 'http',
    FutureKnob: { Level: 3 },
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' },
  };
  server = await devServerHolding([entry]);
});
afterEach(async () => {
  await server.close();
});

const tree = () => tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n' });
const live = async () => (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as Record<string, unknown>;

describe('apply refused for field loss', () => {
  it('text: exit 1 and an error line naming the entry and the flag', async () => {
    const run = await runCli(['apply', '--auto-approve', '--consul', server.url], tree());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: 1 change not written (service-defaults/web): writing would remove live fields unknown to consul-gitops; --allow-field-loss writes anyway',
    );
    expect(await live()).toMatchObject({ Protocol: 'http', FutureKnob: { Level: 3 } });
  });

  it('--json: error.code is field-loss, and the change outcome carries it', async () => {
    const run = await runCli(['apply', '--auto-approve', '--json', '--consul', server.url], tree());
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { error: { code: string; message: string }; results: { outcome: { status: string; code?: string } }[] };
    expect(out.error).toMatchObject({ code: 'field-loss', message: expect.stringContaining('service-defaults/web') });
    expect(out.results.map((r) => r.outcome)).toEqual([expect.objectContaining({ status: 'skipped', code: 'field-loss' })]);
  });

  it('--allow-field-loss: written, no error', async () => {
    const run = await runCli(['apply', '--auto-approve', '--json', '--allow-field-loss', '--consul', server.url], tree());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('error');
    expect(await live()).not.toHaveProperty('FutureKnob');
  });
});

describe('apply refused for an unmanaged entry', () => {
  it('--json: error.code is adopt-required; --adopt writes it', async () => {
    await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' }) });
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
    const run = await runCli(['apply', '--auto-approve', '--json', '--consul', server.url], dir);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error).toMatchObject({
      code: 'adopt-required',
      message: expect.stringContaining('--adopt'),
    });
    const adopted = await runCli(['apply', '--auto-approve', '--json', '--adopt', '--consul', server.url], dir);
    expect(adopted.code).toBe(0);
  });
});
