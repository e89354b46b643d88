// Consul's own case for http-route service weights: agent/structs/config_entry_routes_test.go
// TestHTTPRoute "rule normalizes service weight" writes Weight 0 and Weight -1 and expects 1 for
// both. That is the rule up to 1.22.5; from 1.22.6 (hashicorp/consul#23216, #23305) only a negative
// weight becomes 1 and 0 means "no traffic". Run against the dev server as each version, and
// through `plan`, which must expect what that Consul stores (no change after the write).
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { targetRepo } from '../support/consul-version-examples.ts';
import { runCli } from '../support/run-cli.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// TestHTTPRoute "rule normalizes service weight": services test (Weight 0) and test2 (Weight -1).
const BODY = {
  Kind: 'http-route',
  Name: 'route-one',
  Rules: [
    {
      Services: [
        { Name: 'test', Weight: 0 },
        { Name: 'test2', Weight: -1 },
      ],
    },
  ],
};
const FILE = `Kind = "http-route"
Name = "route-one"
Rules = [
  {
    Services = [
      { Name = "test", Weight = 0 },
      { Name = "test2", Weight = -1 },
    ]
  }
]
`;

async function storedWeights(consulVersion: string): Promise<number[]> {
  server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion });
  expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(BODY) })).text()).toBe('true');
  const live = (await (await fetch(`${server.url}/v1/config/http-route/route-one`)).json()) as { Rules: { Services: { Weight?: number }[] }[] };
  return live.Rules[0].Services.map((s) => s.Weight ?? 0);
}

describe('TestHTTPRoute "rule normalizes service weight", by the target\'s version', () => {
  it('1.22.5 stores 1 for Weight 0 and for Weight -1, as the Consul test expects', async () => {
    expect(await storedWeights('1.22.5')).toEqual([1, 1]);
  });

  it('1.22.6 and 2.1.0 keep 0 (no traffic) and still turn -1 into 1', async () => {
    expect(await storedWeights('1.22.6')).toEqual([0, 1]);
    await server!.close();
    expect(await storedWeights('2.1.0')).toEqual([0, 1]);
  });

  it('plan expects what each version stores: no change once the file is written', async () => {
    for (const version of ['1.22.5', '2.1.0']) {
      await storedWeights(version);
      const run = await runCli(['plan', '--json', '--consul', server!.url], targetRepo({ 'config-entries/route.hcl': FILE }, { version }));
      expect(run.stderr, version).toBe('');
      expect(run.code, version).toBe(0);
      const doc = JSON.parse(run.stdout) as { changes: { fieldDiffs: unknown[] }[] };
      // The entry written by hand is not managed, so plan lists it as skipped: with no field to change.
      expect(
        doc.changes.map((c) => c.fieldDiffs),
        version,
      ).toEqual([[]]);
      await server!.close();
      server = undefined;
    }
  });
});
