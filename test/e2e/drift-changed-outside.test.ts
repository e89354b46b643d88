// The schedule's drift issue names what was changed outside consul-gitops with the words the
// terminal plan uses: detectDrift against the dev server (Consul's one Raft index for KV and
// config entries), after an apply the reconciler recorded.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../../src/adapters/consul/stores.ts';
import { detectDrift } from '../../src/app/detect-drift.ts';
import type { ReconcileDeps } from '../../src/app/reconcile-commit.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

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
  const issues: { body: string; open: boolean }[] = [];
  const deps: ReconcileDeps = {
    source: { read: async () => ({ revision: 'a'.repeat(40), commitTime: '2026-11-25T11:00:00Z', files }) },
    store: new ConsulConfigEntryStore(consul),
    state: new ConsulKvStateStore(consul),
    reporter: {
      commitStatus: async () => undefined,
      upsertPullRequestComment: async () => ({ id: 1, created: true }),
      upsertIssue: async (_r, _t, body, _k, open) => (issues.push({ body, open }), { number: 1, created: true }),
    },
    now: () => new Date('2026-11-25T13:00:00Z'),
    sleep: async () => undefined,
    holder: 'test',
  };
  const target = { name: 'dc1', dir: 'config-entries', prune: true, stateKeyPrefix: 'consul-gitops/state' };
  const job = { owner: 'acme', repo: 'mesh', branch: 'main', selfHeal: true };
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
