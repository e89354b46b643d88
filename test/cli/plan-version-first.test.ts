// `consul-gitops plan` asks Consul for its version before it asks for the entries: Consul (and the
// dev server) answers a connection's requests as they come, so a version asked after sixteen lists
// answers after all of them are serialised, and the plan, which needs the version before it reads
// its files, sat idle that long (0.15 s of a 10,000-entry plan, bench/scale.bench.ts).
// The order is what the client sent, recorded on node:http's diagnostics channel in this process
// (a plan's requests are all reads, sent on node:http; undici's channel is watched too).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerTest();
/** Both publish `{ request }` with the request's method and path. */
const CHANNELS = ['http.client.request.start', 'undici:request:create'];
const sent: string[] = [];
const record = (message: unknown) => {
  const { request } = message as { request: { method: string; path: string } };
  sent.push(`${request.method} ${request.path.split('?')[0]}`);
};
afterEach(() => {
  for (const c of CHANNELS) unsubscribe(c, record);
  sent.length = 0;
});

describe('plan asks for the version before the entries', () => {
  it('sends GET /v1/agent/self before any list, and still plans every kind', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    for (const c of CHANNELS) subscribe(c, record);
    const run = await runCli(['plan', '--consul', consul.url, '--detailed-exitcode'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('+ create service-defaults/web');
    expect(sent[0]).toBe('GET /v1/agent/self');
    const lists = sent.filter((s) => s.startsWith('GET /v1/config/'));
    expect(lists).toContain('GET /v1/config/service-defaults');
    expect(lists.length).toBeGreaterThan(10);
    expect(sent.indexOf(lists[0])).toBeGreaterThan(0);
  });
});
