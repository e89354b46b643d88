// Bench: the pure core of a no-op plan on the scale bench's 10,000-entry tree, step by step:
// parsing the files (parse-files.ts parseSourceFiles), validating them (validate-tree.ts
// validateEntries: normalising and checking each entry), parsing Consul's list responses as the
// client does (json.ts parseConsulJson, schemas.ts liveEntryListAsIs, dropServerHash) and planning
// against them (plan.ts planWithState). CPU (process.cpuUsage, which moves less than wall time on a
// shared machine), medians of alternating rounds, two ways:
//   - cold: each step once in a fresh process, as the CLI runs it (most of a CLI's time in these
//     steps is code not yet optimised, and the collector);
//   - warm: repeated in one process, as `serve` and a warm Lambda container run them.
// With BENCH_BASE_REF=<commit>, the same functions from that commit's src/ (git archive into a
// temporary directory) run alternately on the same files and response texts, and ratios are printed.
//   BENCH_PLAN_CORE_ENTRIES (default 10000), BENCH_PLAN_CORE_ROUNDS (default 5), BENCH_PLAN_CORE_PASSES (default 10 per warm round),
//   BENCH_PLAN_CORE_COLD (default 7 fresh processes per side; 0 skips), BENCH_PLAN_CORE_WARM=0 skips the warm rounds,
//   BENCH_PLAN_CORE_KEEP_DUMP=<file> keeps the files and list responses, for profiling one cold pass:
//   BENCH_PLAN_CORE_CHILD=. BENCH_PLAN_CORE_DUMP=<file> node --cpu-prof --import tsx bench/plan-core.bench.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';

const COUNT = Number(process.env.BENCH_PLAN_CORE_ENTRIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_PLAN_CORE_ROUNDS ?? 5);
const PASSES = Number(process.env.BENCH_PLAN_CORE_PASSES ?? 10);
const COLD = Number(process.env.BENCH_PLAN_CORE_COLD ?? 7);
const WARM = process.env.BENCH_PLAN_CORE_WARM !== '0';
const BASE_REF = process.env.BENCH_BASE_REF;
const STEPS = ['parse', 'validate', 'list parse', 'plan'] as const;
type Step = (typeof STEPS)[number];

interface SourceFile {
  path: string;
  text: string;
}
interface Core {
  parseSourceFiles: (files: readonly SourceFile[]) => { entries: unknown[]; errors: unknown[] };
  validateEntries: (decoded: readonly unknown[], options: { treeGraph: boolean }) => { entries: unknown[]; errors: unknown[] };
  planWithState: (
    desired: readonly unknown[],
    live: readonly unknown[],
    options: { prune: boolean; adopt: boolean },
  ) => { plan: { summary: Record<string, number> } };
  parseConsulJson: (text: string) => unknown;
  liveEntryListAsIs: (json: unknown) => Record<string, unknown>[] | undefined;
  dropServerHash: (entry: Record<string, unknown>) => Record<string, unknown>;
}

async function coreAt(root: string): Promise<Core> {
  const at = (path: string) => import(join(root, 'src', path)) as Promise<Record<string, unknown>>;
  const [parse, validate, plan, json, schemas] = await Promise.all([
    at('core/parse-files.ts'),
    at('core/validate-tree.ts'),
    at('core/plan/plan.ts'),
    at('adapters/consul/json.ts'),
    at('adapters/consul/schemas.ts'),
  ]);
  return {
    parseSourceFiles: parse.parseSourceFiles,
    validateEntries: validate.validateEntries,
    planWithState: plan.planWithState,
    parseConsulJson: json.parseConsulJson,
    liveEntryListAsIs: schemas.liveEntryListAsIs,
    dropServerHash: json.dropServerHash,
  } as Core;
}

/**
 * Each step once: CPU ms per step and, in a process whose young generation never fills (the
 * allocation child below), MiB allocated per step. Throws unless the plan is a no-op of every entry.
 */
function onePass(core: Core, files: readonly SourceFile[], lists: readonly string[]): { cpu: Record<Step, number>; allocated: Record<Step, number> } {
  const cpu: number[] = [];
  const heap: number[] = [];
  const mark = () => {
    const u = process.cpuUsage();
    cpu.push((u.user + u.system) / 1000);
    heap.push(process.memoryUsage().heapUsed / 2 ** 20);
  };
  mark();
  const parsed = core.parseSourceFiles(files);
  mark();
  const validated = core.validateEntries(parsed.entries, { treeGraph: false });
  mark();
  // As ConsulClient.listEntries and the store (stores.ts liveEntry) read each list response.
  const live: { entry: Record<string, unknown>; modifyIndex: number }[] = [];
  for (const text of lists) {
    const entries = core.liveEntryListAsIs(core.parseConsulJson(text));
    if (!entries) throw new Error('a list response is not a list of entries');
    for (const e of entries) {
      const entry = core.dropServerHash(e);
      live.push({ entry, modifyIndex: typeof entry.ModifyIndex === 'number' ? entry.ModifyIndex : 0 });
    }
  }
  mark();
  const planned = core.planWithState(validated.entries, live, { prune: true, adopt: false });
  mark();
  if (parsed.errors.length || validated.errors.length) throw new Error(`the tree has ${parsed.errors.length + validated.errors.length} errors`);
  if (planned.plan.summary.noop !== COUNT) throw new Error(`${JSON.stringify(planned.plan.summary)} (${COUNT} no-ops expected)`);
  const steps = (at: number[]) => Object.fromEntries(STEPS.map((s, i) => [s, at[i + 1] - at[i]])) as Record<Step, number>;
  return { cpu: steps(cpu), allocated: steps(heap) };
}

/** That commit's src/, next to a link to this checkout's node_modules. */
function checkoutSrc(ref: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'consul-gitops-plan-core-'));
  const tar = execFileSync('git', ['archive', ref, 'src'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', root], { input: tar });
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

/** One line per side, then now/before per step and for all four. */
function report(title: string, times: Record<string, Record<Step, number[]>>, unit = 'ms'): void {
  console.log(title);
  const med = (name: string) => Object.fromEntries(STEPS.map((s) => [s, median(times[name][s])])) as Record<Step, number>;
  const sum = (m: Record<Step, number>) => STEPS.reduce((a, s) => a + m[s], 0);
  for (const name of Object.keys(times)) {
    const m = med(name);
    console.log(`  ${name.padEnd(12)} ${STEPS.map((s) => `${s} ${f1(m[s])}`).join(', ')} | all ${f1(sum(m))} ${unit}`);
  }
  const baseName = `@${BASE_REF}`;
  if (!times[baseName]) return;
  const now = med('now');
  const before = med(baseName);
  console.log(`  now/before   ${STEPS.map((s) => `${s} ${f2(now[s] / before[s])}x`).join(', ')} | all ${f2(sum(now) / sum(before))}x`);
  // The least of each side too: on a loaded machine the quietest run is the closest to the code's own cost.
  const least = (name: string) => Object.fromEntries(STEPS.map((s) => [s, Math.min(...times[name][s])])) as Record<Step, number>;
  const [a, b] = [least('now'), least(baseName)];
  console.log(`  least        ${STEPS.map((s) => `${s} ${f2(a[s] / b[s])}x`).join(', ')} | all ${f2(sum(a) / sum(b))}x (now/before of each side's least)`);
}

if (process.env.BENCH_PLAN_CORE_CHILD) {
  // A fresh process: one cold pass of the core at BENCH_PLAN_CORE_CHILD (a src/ root), JSON on stdout.
  const dump = JSON.parse(readFileSync(process.env.BENCH_PLAN_CORE_DUMP!, 'utf8')) as { files: SourceFile[]; lists: string[] };
  const core = await coreAt(process.env.BENCH_PLAN_CORE_CHILD);
  // Collections during the pass, counted: the allocation figures hold only when there were none.
  let collections = 0;
  const gcs = new PerformanceObserver((list) => (collections += list.getEntries().length));
  gcs.observe({ entryTypes: ['gc'] });
  const pass = onePass(core, dump.files, dump.lists);
  await new Promise((r) => setTimeout(r, 50));
  gcs.disconnect();
  console.log(JSON.stringify({ ...pass, collections }));
} else {
  const { ConsulClient } = await import('../src/adapters/consul/client.ts');
  const { ConsulConfigEntryStore } = await import('../src/adapters/consul/stores.ts');
  const { readLocalFiles } = await import('../src/adapters/files/local-files.ts');
  const { applyPlan } = await import('../src/app/apply-plan.ts');
  const { makePlan, managedKinds } = await import('../src/app/make-plan.ts');
  const { startDevServer } = await import('../src/dev-server/server.ts');
  const { readParseFiles } = await import('./support/read-parse-tree.ts');

  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-plan-core-tree-'));
  const consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  const client = new ConsulClient({ address: consul.url, timeoutMs: 120_000 });
  const base = BASE_REF ? checkoutSrc(BASE_REF) : undefined;
  try {
    for (const [path, text] of Object.entries(readParseFiles(COUNT))) {
      const full = join(dir, 'config-entries', path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, text);
    }
    const { files } = await readLocalFiles(['config-entries'], dir);
    const store = new ConsulConfigEntryStore(client);
    const seeded = await makePlan(files, store, { prune: true, adopt: false });
    if (!seeded.plan) throw new Error(`seeding: ${seeded.errors.map((e) => e.message).join('; ')}`);
    if (!(await applyPlan(store, seeded.plan, { concurrency: 64 })).ok) throw new Error('seeding failed');
    // The list responses a plan reads, as Consul sent them (the client parses them in the timed step).
    const lists = await Promise.all(managedKinds().map(async (kind) => (await fetch(`${consul.url}/v1/config/${kind}`)).text()));
    const dump = join(dir, 'dump.json');
    writeFileSync(dump, JSON.stringify({ files, lists }));
    if (process.env.BENCH_PLAN_CORE_KEEP_DUMP) writeFileSync(process.env.BENCH_PLAN_CORE_KEEP_DUMP, JSON.stringify({ files, lists }));

    const roots: Record<string, string> = { now: resolve('.') };
    if (base) roots[`@${BASE_REF}`] = base.root;
    const empty = () => Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
    const record = (into: Record<Step, number[]>, pass: Record<Step, number>) => STEPS.forEach((s) => into[s].push(pass[s]));

    /** One cold pass of `root`'s core in a fresh process. */
    const coldPass = (name: string, root: string, nodeArgs: string[] = []) => {
      const child = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, BENCH_PLAN_CORE_CHILD: root, BENCH_PLAN_CORE_DUMP: dump },
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`${name}: cold pass failed: ${child.stderr}`);
      return JSON.parse(child.stdout) as ReturnType<typeof onePass> & { collections: number };
    };

    if (COLD > 0) {
      const cold: Record<string, Record<Step, number[]>> = Object.fromEntries(Object.keys(roots).map((n) => [n, empty()]));
      // Each side first in turn: a machine whose load drifts favours neither.
      for (let i = 0; i < COLD; i++) {
        const order = Object.entries(roots);
        if (i % 2) order.reverse();
        for (const [name, root] of order) record(cold[name], coldPass(name, root).cpu);
      }
      report(`no-op plan core of ${COUNT} entries, cold (each step once in a fresh process), CPU ms, median of ${COLD} alternating processes`, cold);
      // Load-independent: what each step allocates, in a process whose young generation (1 GiB
      // semi-spaces) and old one never fill, so nothing is collected and the heap's growth is the allocation.
      const allocated: Record<string, Record<Step, number[]>> = Object.fromEntries(Object.keys(roots).map((n) => [n, empty()]));
      // Three each: code the compiler makes on its own thread lands in whichever step is running (about 1 MiB either way).
      for (let i = 0; i < 3; i++)
        for (const [name, root] of Object.entries(roots)) {
          const pass = coldPass(name, root, ['--max-semi-space-size=1024', '--min-semi-space-size=1024', '--initial-old-space-size=1024']);
          if (pass.collections) throw new Error(`${name}: ${pass.collections} collections during the allocation pass: its figures would be short`);
          record(allocated[name], pass.allocated);
        }
      report(`no-op plan core of ${COUNT} entries, MiB allocated per step (median of 3 processes each, no collection)`, allocated, 'MiB');
    }

    if (WARM) {
      const sides: Record<string, Core> = {};
      for (const [name, root] of Object.entries(roots)) sides[name] = await coreAt(root);
      const warm: Record<string, Record<Step, number[]>> = Object.fromEntries(Object.keys(sides).map((n) => [n, empty()]));
      for (let round = 0; round < ROUNDS; round++)
        for (const [name, core] of round % 2 ? Object.entries(sides).reverse() : Object.entries(sides)) {
          const sums = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
          for (let i = 0; i < PASSES; i++) {
            const pass = onePass(core, files, lists).cpu;
            for (const s of STEPS) sums[s] += pass[s] / PASSES;
          }
          record(warm[name], sums);
        }
      report(`no-op plan core of ${COUNT} entries, warm (one process), CPU ms per pass, median of ${ROUNDS} alternating rounds of ${PASSES} passes`, warm);
    }
  } finally {
    await client.close();
    await consul.close();
    base?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}
