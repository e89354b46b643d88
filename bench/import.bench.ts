// npm run bench: `import` of 10,000 entries from the dev server (2 ms injected latency), wall time
// and requests, against a baseline measured in the same run: a no-op `plan` of the same entries
// (the same one-list-per-kind read, plus render and diff of the same tree).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsulClient } from '../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore } from '../src/adapters/consul/stores.ts';
import { LocalImportFiles } from '../src/adapters/files/import-files.ts';
import { makePlan } from '../src/app/make-plan.ts';
import { importEntries } from '../src/app/import-entries.ts';
import { readLocalFiles } from '../src/adapters/files/local-files.ts';
import { repositoryRelative } from '../src/adapters/files/repo-root.ts';
import { startDevServerProcess } from './support/dev-server-process.ts';
import { countingStore, meshTree, seed, timed } from './support/seed.ts';

const COUNT = Number(process.env.BENCH_ENTRIES ?? 10_000);
const LATENCY_MS = 2;

const tree = (count: number) => meshTree(count, { teamMeta: true, denyOthers: true });

const server = await startDevServerProcess(['--latency-ms', String(LATENCY_MS)]);
const client = new ConsulClient({ address: server.url });
const store = new ConsulConfigEntryStore(client);
const work = mkdtempSync(join(tmpdir(), 'consul-gitops-import-bench-'));
try {
  await seed(store, tree(COUNT), { prune: false, adopt: false });

  const baselineStore = countingStore(store);
  const baseline = await timed(() => makePlan(tree(COUNT), baselineStore.store, { prune: false, adopt: false }));
  const s = baseline.value.plan!.summary;
  if (s.create + s.update + s.delete !== 0) throw new Error('baseline plan is not a no-op');

  const importStore = countingStore(store);
  const files = new LocalImportFiles(work);
  const imported = await timed(() => importEntries(importStore.store, files, { dir: 'config-entries', format: 'hcl', onlyUnmanaged: false, force: false }));
  const r = imported.value;
  if (r.problems.length || r.written.length !== COUNT) throw new Error(`import wrote ${r.written.length} of ${COUNT} (${r.problems.length} problems)`);

  // The imported tree plans as ownership-only: nothing else differs.
  const read = await readLocalFiles(['config-entries'], work);
  if (read.files.length !== COUNT) throw new Error(`read back ${read.files.length} files`);
  const replan = await makePlan(repositoryRelative(read.files, work), store, { prune: false, adopt: false });
  // Seeded by consul-gitops from other paths, so only the source marker may change.
  const other = replan.plan!.changes.flatMap((c) => c.fieldDiffs).filter((d) => !/^Meta(\.managed-by|\.consul-gitops\/source)?$/.test(d.path));
  if (other.length || replan.plan!.summary.create + replan.plan!.summary.delete)
    throw new Error(`the imported tree differs beyond ownership: ${JSON.stringify(other[0])}`);
  const again = replan.plan!.summary;

  console.log(`import against the dev server with ${LATENCY_MS} ms latency per request`);
  console.log(
    `  import of ${COUNT} entries to HCL files: ${imported.value.written.length} files, ${imported.ms.toFixed(0)} ms wall, ${importStore.requests()} requests (one list per kind)`,
  );
  console.log(`  baseline no-op plan of the same ${COUNT} entries: ${baseline.ms.toFixed(0)} ms wall, ${baselineStore.requests()} requests`);
  console.log(
    `  ratio import/plan: ${(imported.ms / baseline.ms).toFixed(2)}x wall, ${(importStore.requests() / baselineStore.requests()).toFixed(2)}x requests`,
  );
  console.log(`  plan of the imported tree: ownership markers only (${again.update} source markers to update, ${again.noop} up to date)`);
} finally {
  await client.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
