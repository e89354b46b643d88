// Bench: the pure core of a no-op plan, in process: validating the tree (validate-tree.ts
// validateEntries: normalising and checking each entry) and planning it against Consul's copy
// (plan.ts planWithState), on the scale bench's 10,000-entry tree. CPU per pass (process.cpuUsage,
// which moves less than wall time on a shared machine), median of alternating rounds. With
// BENCH_BASE_REF=<commit>, the same functions from that commit's src/ (git archive into a temporary
// directory) run alternately on the same parsed files and live entries, and the ratios are printed.
//   BENCH_PLAN_CORE_ENTRIES (default 10000), BENCH_PLAN_CORE_ROUNDS (default 5), BENCH_PLAN_CORE_PASSES (default 10 per round).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConsulClient } from '../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore } from '../src/adapters/consul/stores.ts';
import { readLocalFiles } from '../src/adapters/files/local-files.ts';
import { applyPlan } from '../src/app/apply-plan.ts';
import { makePlan, readLive } from '../src/app/make-plan.ts';
import { startDevServer } from '../src/dev-server/server.ts';
import { readParseFiles } from './support/read-parse-tree.ts';

const COUNT = Number(process.env.BENCH_PLAN_CORE_ENTRIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_PLAN_CORE_ROUNDS ?? 5);
const PASSES = Number(process.env.BENCH_PLAN_CORE_PASSES ?? 10);
const BASE_REF = process.env.BENCH_BASE_REF;

interface Core {
  parseSourceFiles: (files: readonly { path: string; text: string }[]) => { entries: unknown[] };
  validateEntries: (decoded: readonly unknown[], options: { treeGraph: boolean }) => { entries: unknown[]; errors: unknown[] };
  planWithState: (
    desired: readonly unknown[],
    live: readonly unknown[],
    options: { prune: boolean; adopt: boolean },
  ) => { plan: { summary: Record<string, number> } };
}

async function coreAt(root: string): Promise<Core> {
  const parse = (await import(join(root, 'src/core/parse-files.ts'))) as Pick<Core, 'parseSourceFiles'>;
  const validate = (await import(join(root, 'src/core/validate-tree.ts'))) as Pick<Core, 'validateEntries'>;
  const plan = (await import(join(root, 'src/core/plan/plan.ts'))) as Pick<Core, 'planWithState'>;
  return { parseSourceFiles: parse.parseSourceFiles, validateEntries: validate.validateEntries, planWithState: plan.planWithState };
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

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

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
  const live = await readLive(store);

  const sides: Record<string, Core> = { now: await coreAt(resolve('.')) };
  if (base) sides[`@${BASE_REF}`] = await coreAt(base.root);
  const times: Record<string, { validate: number[]; plan: number[] }> = {};
  for (const name of Object.keys(sides)) times[name] = { validate: [], plan: [] };
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, core] of Object.entries(sides)) {
      const parsed = core.parseSourceFiles(files);
      let validated: ReturnType<Core['validateEntries']> | undefined;
      let t = cpuMs();
      for (let i = 0; i < PASSES; i++) validated = core.validateEntries(parsed.entries, { treeGraph: false });
      times[name].validate.push((cpuMs() - t) / PASSES);
      if (validated!.errors.length) throw new Error(`${name}: the tree has ${validated!.errors.length} errors`);
      let planned: ReturnType<Core['planWithState']> | undefined;
      t = cpuMs();
      for (let i = 0; i < PASSES; i++) planned = core.planWithState(validated!.entries, live, { prune: true, adopt: false });
      times[name].plan.push((cpuMs() - t) / PASSES);
      if (planned!.plan.summary.noop !== COUNT) throw new Error(`${name}: ${JSON.stringify(planned!.plan.summary)} (${COUNT} no-ops expected)`);
    }
  console.log(`pure core of a no-op plan of ${COUNT} entries, CPU per pass, median of ${ROUNDS} alternating rounds of ${PASSES} passes`);
  const now = times.now;
  console.log(`  now: validateEntries ${f1(median(now.validate))} ms, planWithState ${f1(median(now.plan))} ms`);
  const before = base ? times[`@${BASE_REF}`] : undefined;
  if (before)
    console.log(
      `  @${BASE_REF}: validateEntries ${f1(median(before.validate))} ms, planWithState ${f1(median(before.plan))} ms | now/before ${f2(median(now.validate) / median(before.validate))}x validate, ${f2(median(now.plan) / median(before.plan))}x plan, ${f2((median(now.validate) + median(now.plan)) / (median(before.validate) + median(before.plan)))}x both`,
    );
} finally {
  await client.close();
  await consul.close();
  base?.remove();
  rmSync(dir, { recursive: true, force: true });
}
