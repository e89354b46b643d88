// npm run bench (CLI start-up): `--help` and `validate` of one small file through the built CLI
// (dist/, as installed) and through the TypeScript source with tsx (how bin/ ran before the build),
// and `plan` of that file through the built CLI against a dev server (its own process, no latency):
// the start of every command that talks to Consul, HTTP client included,
// each as a ratio to `node -e 0` measured in the same run, runs interleaved so load hits all alike.
// Goals: built `--help` at most 2x `node -e 0`, built `validate` at most 3x.
// BENCH_BASE_REF=<commit> adds the CLI built from that commit (its own scripts/build.mjs), run
// alike, and prints wall and CPU against it (CPU is what to read on a busy machine).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCliForBench } from './support/built-cli.ts';
import { startDevServerProcess } from './support/dev-server-process.ts';

const ROUNDS = Number(process.env.CLI_START_ROUNDS ?? 15);
const BASE_REF = process.env.BENCH_BASE_REF;
const built = await buildCliForBench();
process.on('exit', () => built.remove());

/** The CLI as BASE_REF built it: its sources and build script extracted from git inside the repository (so node_modules resolves), built there. */
async function buildBase(ref: string): Promise<{ bin: string; remove(): void }> {
  mkdirSync(resolve('tmp'), { recursive: true });
  const at = mkdtempSync(join(resolve('tmp'), 'bench-cli-base-'));
  execFileSync('tar', ['-x', '-C', at], { input: execFileSync('git', ['archive', ref, '--', 'src', 'scripts'], { maxBuffer: 256 * 1024 * 1024 }) });
  // Its build script resolves esbuild and the undici alias from its own directory: the project's node_modules is one level up from tmp/.
  const { buildCli } = (await import(join(at, 'scripts', 'build.mjs'))) as { buildCli: (o: { outdir: string }) => Promise<unknown> };
  await buildCli({ outdir: join(at, 'dist') });
  return { bin: join(at, 'dist', 'consul-gitops.js'), remove: () => rmSync(at, { recursive: true, force: true }) };
}
const baseCli = BASE_REF ? await buildBase(BASE_REF) : undefined;
process.on('exit', () => baseCli?.remove());

const tree = mkdtempSync(join(tmpdir(), 'cli-start-'));
mkdirSync(join(tree, 'service-defaults'));
writeFileSync(join(tree, 'service-defaults', 'web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');

const consul = await startDevServerProcess();
process.on('exit', () => consul.close());
const plan = (bin: string) => [bin, 'plan', '--dir', tree, '--consul', consul.url];

const CASES: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'built --help': [built.bin, '--help'],
  'built validate': [built.bin, 'validate', tree],
  'built plan': plan(built.bin),
  'tsx source --help': ['bin/consul-gitops.js', '--help'],
  'tsx source validate': ['bin/consul-gitops.js', 'validate', tree],
  ...(baseCli
    ? { [`${BASE_REF} --help`]: [baseCli.bin, '--help'], [`${BASE_REF} validate`]: [baseCli.bin, 'validate', tree], [`${BASE_REF} plan`]: plan(baseCli.bin) }
    : {}),
};
const GOALS: Record<string, number> = { 'built --help': 2, 'built validate': 3 };

const timeFile = join(tree, '..', `${tree.split('/').pop()}-time`);

/** One process under GNU time: wall time, and user + system CPU. */
function runMs(args: string[]): { wall: number; cpu: number } {
  const t = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, ...args], { encoding: 'utf8' });
  const wall = performance.now() - t;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: (user + sys) * 1000 };
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
const cpuSamples: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
for (const args of Object.values(CASES)) runMs(args); // warm the file cache once
for (let i = 0; i < ROUNDS; i++)
  for (const [name, args] of Object.entries(CASES)) {
    const r = runMs(args);
    samples[name].push(r.wall);
    cpuSamples[name].push(r.cpu);
  }
consul.close();
rmSync(tree, { recursive: true, force: true });
rmSync(timeFile, { force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['node -e 0']);
console.log(`CLI start-up, median of ${ROUNDS} interleaved runs, as ratios to node -e 0 (${base.toFixed(0)} ms on this machine now)`);
for (const name of Object.keys(CASES)) {
  const ratio = median(samples[name]) / base;
  const goal = GOALS[name];
  const verdict = goal === undefined ? '' : `, goal <= ${goal}x -> ${ratio <= goal ? 'met' : 'MISSED'}`;
  const cpuRatio = median(cpuSamples[name]) / median(cpuSamples['node -e 0']);
  console.log(`  ${name.padEnd(20)} ${ratio.toFixed(2)}x${verdict} (CPU ${cpuRatio.toFixed(2)}x)`);
}
if (baseCli)
  for (const what of ['--help', 'validate', 'plan']) {
    const now = `built ${what}`;
    const before = `${BASE_REF} ${what}`;
    console.log(
      `  built ${what} against ${BASE_REF}: ${(median(samples[now]) / median(samples[before])).toFixed(2)}x wall, ${(median(cpuSamples[now]) / median(cpuSamples[before])).toFixed(2)}x CPU`,
    );
  }
