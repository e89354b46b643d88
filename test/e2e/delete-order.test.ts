// Deletions in a plan that Consul's graph rules would refuse in the wrong order, applied against
// the dev server (which enforces those rules as Consul does).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore } from '../../src/adapters/consul/stores.ts';
import { makePlan } from '../../src/app/make-plan.ts';
import { applyPlan } from '../../src/app/apply-plan.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import type { SourceFile } from '../../src/core/parse-files.ts';

let server: DevServer;
let client: ConsulClient;
beforeEach(async () => {
  server = await startDevServer({ port: 0 });
  client = new ConsulClient({ address: server.url });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

const f = (path: string, text: string): SourceFile => ({ path, text });
const router = f('router.hcl', 'Kind = "service-router"\nName = "web"\n');

async function reconcile(files: SourceFile[]) {
  const store = new ConsulConfigEntryStore(client);
  const { plan, errors } = await makePlan(files, store, { prune: true, adopt: false });
  expect(errors).toEqual([]);
  return applyPlan(store, plan!);
}

it('a new service-defaults takes over the protocol before the proxy-defaults that gave it is deleted', async () => {
  const pd = f('pd.hcl', 'Kind = "proxy-defaults"\nName = "global"\nConfig { protocol = "http" }\n');
  expect((await reconcile([pd, router])).ok).toBe(true);
  const sd = f('sd.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');
  const report = await reconcile([sd, router]);
  const order = report.results.filter((r) => r.outcome.status === 'applied').map((r) => `${r.change.action} ${r.change.id.kind}`);
  expect(order).toEqual(['create service-defaults', 'delete proxy-defaults']);
  expect(report.ok).toBe(true);
});

it('a router is deleted before its service goes back to tcp', async () => {
  const http = f('sd.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');
  expect((await reconcile([http, router])).ok).toBe(true);
  const tcp = f('sd.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "tcp"\n');
  const report = await reconcile([tcp]);
  expect(report.ok).toBe(true);
  const order = report.results.filter((r) => r.outcome.status === 'applied').map((r) => `${r.change.action} ${r.change.id.kind}`);
  expect(order).toEqual(['delete service-router', 'update service-defaults']);
});
