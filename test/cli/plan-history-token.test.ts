// `plan` with a token that may read config entries but not the last-apply record in KV: the plan
// is still made and printed, only without the `changed outside consul-gitops` labels, and a notice
// says why. Through the CLI's plan command against the dev server with ACLs (default deny).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { tempTree, type CliRun } from '../support/run-cli.ts';

const ROOT = 'root-secret-for-the-history-test';
const NO_KV = 'entries-only-secret-for-the-history-test';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({
    port: 0,
    host: '127.0.0.1',
    acl: {
      defaultPolicy: 'deny',
      tokens: [
        { secret: ROOT, management: true },
        { secret: NO_KV, rules: { mesh: 'read', service_prefix: { '': 'read' }, intention_prefix: { '': 'read' }, agent_prefix: { '': 'read' } } },
      ],
    },
  });
});
afterAll(async () => {
  await server.close();
});

type Command = typeof planCommand;
async function run(cmd: Command, token: string, args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd };
  const code = await cmd([...args, '--consul', server.url], io, { env: { CONSUL_HTTP_TOKEN: token }, now: () => new Date('2026-11-25T12:00:00Z') });
  return { code, stdout, stderr };
}

describe('plan with a token that cannot read KV', () => {
  it('still plans, names no change as made outside, and says why on stderr', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
    const applied = await run(applyCommand, ROOT, ['--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'], dir);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    // Someone changes api by hand after the recorded apply.
    const live = (await (await fetch(`${server.url}/v1/config/service-defaults/api`, { headers: { 'X-Consul-Token': ROOT } })).json()) as Record<
      string,
      unknown
    >;
    const put = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      headers: { 'X-Consul-Token': ROOT },
      body: JSON.stringify({ ...live, Protocol: 'grpc' }),
    });
    expect(await put.text()).toBe('true');

    // The record is there: a token that may read it gets the label.
    const full = await run(planCommand, ROOT, [], dir);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('~ update service-defaults/api  (config-entries/api.hcl:1)  [changed outside consul-gitops]');

    const narrow = await run(planCommand, NO_KV, [], dir);
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toMatch(/~ update service-defaults\/api {2}\(config-entries\/api\.hcl:1\)\n/);
    expect(narrow.stderr).toMatch(
      /^notice: could not read the last apply record consul-gitops\/state\/default\/last-applied, so changes made outside consul-gitops are not named: .*\n$/m,
    );
    expect(narrow.stdout + narrow.stderr).not.toContain(NO_KV);
  });
});
