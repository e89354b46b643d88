// http-route service Weight 0 means "no traffic" from Consul 1.22.6 on (hashicorp/consul#23216,
// backported to release/1.22.x as #23305 and listed under 1.22.6 in Consul's CHANGELOG.md); 1.22.5
// and older still turn it into 1 (agent/structs/config_entry_routes.go HTTPRouteConfigEntry.Normalize).
// Through `plan`, with consulVersion set on both sides of the boundary, and the dev server as each.
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { liveFiftyFifty, ROUTE, targetRepo } from '../support/consul-version-examples.ts';
import { runCli } from '../support/run-cli.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * What `plan --json` says v2's weight becomes when the file drains it and Consul holds 50/50: a number,
 * or `absent` for 0 (Weight is `json:",omitempty"`, so Consul neither sends nor stores a 0).
 */
async function drainedWeight(consulVersion: string): Promise<unknown> {
  server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion });
  await liveFiftyFifty(server);
  const run = await runCli(['plan', '--json', '--consul', server.url], targetRepo({ 'config-entries/shop.hcl': ROUTE }, { version: consulVersion }));
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  const doc = JSON.parse(run.stdout) as { changes: { id: { kind: string }; fieldDiffs?: { path: string; after?: unknown }[] }[] };
  const diff = doc.changes.find((c) => c.id.kind === 'http-route')?.fieldDiffs?.find((d) => d.path === 'Rules[0].Services[1].Weight');
  if (!diff) return 'no change';
  return diff.after ?? 'absent';
}

describe('http-route Weight 0 across the 1.22.6 boundary', () => {
  it('1.22.5: the plan shows 50 → 1, what that Consul stores', async () => {
    expect(await drainedWeight('1.22.5')).toBe(1);
  });

  it('1.22.6: the plan shows 50 → 0, the backend drained', async () => {
    expect(await drainedWeight('1.22.6')).toBe('absent');
  });

  it('the dev server stores Weight 0 as each version does', async () => {
    for (const [version, stored] of [
      ['1.22.5', 1],
      ['1.22.6', 0],
      ['2.1.0', 0],
    ] as const) {
      server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: version });
      const body = { Kind: 'http-route', Name: 'shop', Rules: [{ Services: [{ Name: 'v2', Weight: 0 }] }] };
      expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
      const live = (await (await fetch(`${server.url}/v1/config/http-route/shop`)).json()) as { Rules: { Services: { Weight?: number }[] }[] };
      expect(live.Rules[0].Services[0].Weight ?? 0, version).toBe(stored);
      await server.close();
      server = undefined;
    }
  });
});
