// npm run bench (part 2): plan and apply against the dev server with 2 ms injected latency.
// A no-op plan of 10,000 entries must read Consul with one list per kind; the baseline GETs each
// entry one by one (10 at a time), as Terraform's refresh does.
import { ConsulClient } from '../src/adapters/consul/client.ts';
import { startDevServerProcess } from './support/dev-server-process.ts';
import { countingStore, meshTree, seed, timed } from './support/seed.ts';
import { ConsulConfigEntryStore } from '../src/adapters/consul/stores.ts';
import { makePlan } from '../src/app/make-plan.ts';
import { applyPlan } from '../src/app/apply-plan.ts';
import { spawn } from 'node:child_process';
import { fieldText } from '../src/model/field-text.ts';

const COUNT = Number(process.env.BENCH_ENTRIES ?? 10_000);
const LATENCY_MS = 2;

const tree = (count: number, protocol: string) => meshTree(count, { protocol });

if (process.argv[2] === '--measure-noop-plan') {
  // Child mode: a fresh process, so its peak RSS is the no-op plan's own.
  const client = new ConsulClient({ address: process.argv[3] });
  const counted = countingStore(new ConsulConfigEntryStore(client));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const noop = await timed(() => makePlan(tree(COUNT, 'http'), counted.store, { prune: true, adopt: false }));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const s = noop.value.plan!.summary;
  process.stdout.write(JSON.stringify({ ms: noop.ms, requests: counted.requests(), peakRss, changes: s.create + s.update + s.delete }));
  await client.close();
  process.exit(0);
}

async function measureNoopPlan(url: string): Promise<{ ms: number; requests: number; peakRss: number; changes: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/plan.bench.ts', '--measure-noop-plan', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  return JSON.parse(out);
}

// The dev server runs in its own process so the memory figure is the planner's alone.
const server = await startDevServerProcess(['--latency-ms', String(LATENCY_MS)]);
const client = new ConsulClient({ address: server.url });
const store = new ConsulConfigEntryStore(client);
const options = { prune: true, adopt: false };
try {
  const files = tree(COUNT, 'http');
  const seeded = await seed(store, files, options);

  const noop = await measureNoopPlan(server.url);
  if (noop.changes !== 0) throw new Error(`no-op plan found ${noop.changes} changes`);

  // Baseline: one GET per entry, ten in flight, like `terraform refresh` (parallelism 10).
  const ids = seeded.tree.entries.map((e) => ({
    kind: e.normalized.Kind,
    name: fieldText(e.normalized.Name) || (e.normalized.Kind === 'mesh' ? 'mesh' : 'global'),
  }));
  const baseline = await timed(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          await client.getEntry(id.kind, id.name);
        }
      }),
    );
  });

  // Apply 1,000 changed entries: flip the protocol of 1,000 service-defaults.
  const changed = files.map((f, i) => (f.path.startsWith('sd/') && i < 2_002 ? { ...f, text: f.text.replace('"http"', '"grpc"') } : f));
  const planned = await makePlan(changed, store, options);
  const updates = planned.plan!.summary.update;
  const applied = await timed(() => applyPlan(store, planned.plan!, { concurrency: 16 }));

  console.log(`plan/apply against the dev server with ${LATENCY_MS} ms latency per request`);
  console.log(
    `  no-op plan of ${files.length} entries: ${noop.ms.toFixed(0)} ms wall, ${noop.requests} requests (one list per kind), target under 2000 ms -> ${noop.ms < 2000 ? 'met' : 'MISSED'}`,
  );
  console.log(`  baseline GET per entry (10 in flight): ${baseline.ms.toFixed(0)} ms wall, ${ids.length} requests`);
  console.log(`  ratio plan/baseline: ${(noop.ms / baseline.ms).toFixed(3)}x wall, ${(noop.requests / ids.length).toFixed(4)}x requests`);
  console.log(
    `  peak RSS of the process running the no-op plan: ${(noop.peakRss / 2 ** 20).toFixed(0)} MiB, target under 200 MB -> ${noop.peakRss < 200 * 2 ** 20 ? 'met' : 'MISSED'} (${(noop.peakRss / 1e6).toFixed(0)} MB decimal)`,
  );
  console.log(
    `  apply ${updates} changed entries: ${applied.ms.toFixed(0)} ms wall (${applied.value.counts.applied} applied), target under 5000 ms -> ${applied.ms < 5000 ? 'met' : 'MISSED'}`,
  );
} finally {
  await client.close();
  server.close();
}
