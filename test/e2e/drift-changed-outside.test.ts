// The schedule's drift issue names what was changed outside consul-gitops with the words the
// terminal plan uses: detectDrift against the dev server (Consul's one Raft index for KV and
// config entries), after an apply the reconciler recorded.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../../src/adapters/consul/stores.ts';
import { detectDrift } from '../../src/app/detect-drift.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { DRIFT_JOB, recordingDeps, target as driftTarget } from '../support/recording-deps.ts';

let server: DevServer;
let consul: ConsulClient;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
  consul = new ConsulClient({ address: server.url });
});
afterEach(async () => {
  await consul.close();
  await server.close();
});

const files = [
  { path: 'config-entries/api.hcl', text: 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' },
  { path: 'config-entries/web.hcl', text: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' },
];

it('labels the entry changed by hand since the recorded apply in the drift issue, and not the others', async () => {
  const { deps, issues } = recordingDeps({ files, store: new ConsulConfigEntryStore(consul), state: new ConsulKvStateStore(consul) });
  const target = driftTarget('dc1', true);
  const job = { ...DRIFT_JOB, selfHeal: true };
  // The first run creates both entries and records the commit it applied.
  expect((await detectDrift(deps, target, job)).kind).toBe('healed');

  const live = (await (await fetch(`${server.url}/v1/config/service-defaults/api`)).json()) as Record<string, unknown>;
  expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ ...live, Protocol: 'tcp' }) })).text()).toBe('true');

  const outcome = await detectDrift(deps, target, { ...job, selfHeal: false });
  expect(outcome.kind).toBe('drift');
  const body = issues.at(-1)!.body;
  expect(body).toContain('> 1 entry was changed outside consul-gitops since the last apply; this plan puts it back as the files say.');
  expect(body).toContain('update <code>service-defaults/api</code> (config-entries/api.hcl:1): 1 field — <strong>changed outside consul-gitops</strong>');
  expect(body).toContain('- Protocol = "tcp"\n+ Protocol = "http"');
  expect(body).not.toContain('service-defaults/web');
});
