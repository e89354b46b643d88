// Reading and parsing a tree, as `plan` does before anything else, measured as whole processes (the
// built JavaScript, as installed) on 10,000 files (50,000 with BENCH_READ_50K=1): CPU, wall time and
// peak RSS, each next to, in the same run and alternating:
//   - `node -e 0`, what any process costs;
//   - the floor: the same entries as JSON files, read with readFileSync and parsed with JSON.parse
//     (bench/support/plain-read-parse.ts), no limits, positions or decoding;
//   - with BENCH_BASE_REF=<commit>, the same reader built from that commit, for before/after figures
//     (e.g. BENCH_BASE_REF=main on a branch).
// Then the parse alone, warm (bench/support/warm-parse.ts: repeated in one process, as `serve` and a
// warm Lambda container parse a tree per push), now and at BENCH_BASE_REF.
// Ratios are what to read: this machine is shared. Run: node --import tsx bench/read-parse.bench.ts
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { externalExceptBundled } from '../scripts/build.mjs';
import { readLocalFiles } from '../src/adapters/files/local-files.ts';
import { parseSourceFiles } from '../src/core/parse-files.ts';
import { ConsulGitopsError } from '../src/errors.ts';
import { plainJsonTwin, readParseFiles, writeFiles } from './support/read-parse-tree.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = process.env.BENCH_READ_SIZES ? process.env.BENCH_READ_SIZES.split(',').map(Number) : [10_000, ...(process.env.BENCH_READ_50K ? [50_000] : [])];
const BASE_REF = process.env.BENCH_BASE_REF;

/** Built inside the repository (tmp/, ignored by git) so packages resolve from node_modules as in dist/. */
mkdirSync(resolve('tmp'), { recursive: true });
const scratch = mkdtempSync(join(resolve('tmp'), 'bench-read-parse-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * Built as the CLI is: packages external except the ones scripts/build.mjs compiles in
 * (`externalExceptBundled`, given for the current reader; a base commit before it had none).
 */
async function bundle(entry: string, name: string, plugins: Plugin[] = []): Promise<string> {
  const outfile = join(scratch, 'out', `${name}.js`);
  const packages = plugins.length ? {} : { packages: 'external' as const };
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20.6', ...packages, plugins, logLevel: 'warning' });
  return outfile;
}

const readers: Record<string, string> = { 'read+parse': await bundle('bench/support/read-parse.ts', 'read-parse', [externalExceptBundled as Plugin]) };
if (BASE_REF) {
  // The reader as it was at BASE_REF: its sources extracted from git, built alike.
  const at = join(scratch, 'base');
  mkdirSync(at);
  const tar = execFileSync('git', ['archive', BASE_REF, '--', 'src', 'bench/support/read-parse.ts'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', at], { input: tar });
  execFileSync('tar', ['-x', '-C', at], { input: execFileSync('git', ['archive', BASE_REF, '--', 'scripts'], { maxBuffer: 64 * 1024 * 1024 }) });
  const baseBuild = (await import(join(at, 'scripts', 'build.mjs'))) as { externalExceptBundled?: Plugin };
  readers[`read+parse@${BASE_REF}`] = await bundle(
    join(at, 'bench/support/read-parse.ts'),
    'read-parse-base',
    baseBuild.externalExceptBundled ? [baseBuild.externalExceptBundled] : [],
  );
}
const plain = await bundle('bench/support/plain-read-parse.ts', 'plain');
/** The warm parse (bench/support/warm-parse.ts) built against the current sources and, with BENCH_BASE_REF, against the base's. */
const warm: Record<string, string> = { 'warm parse': await bundle('bench/support/warm-parse.ts', 'warm-parse', [externalExceptBundled as Plugin]) };
if (BASE_REF) {
  const at = join(scratch, 'base');
  copyFileSync('bench/support/warm-parse.ts', join(at, 'bench/support/warm-parse.ts'));
  const baseBuild = (await import(join(at, 'scripts', 'build.mjs'))) as { externalExceptBundled?: Plugin };
  warm[`warm parse@${BASE_REF}`] = await bundle(
    join(at, 'bench/support/warm-parse.ts'),
    'warm-parse-base',
    baseBuild.externalExceptBundled ? [baseBuild.externalExceptBundled] : [],
  );
}

interface Run {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
  stdout: string;
}

/** One whole process under GNU time: wall, user + system CPU, peak RSS. */
function run(args: string[], cwd: string): Promise<Run> {
  const start = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'cpu=%U+%S maxrss=%M', process.execPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((done, fail) =>
    child.on('exit', (code) => {
      const wallMs = performance.now() - start;
      const m = /cpu=([\d.]+)\+([\d.]+) maxrss=(\d+)/.exec(err);
      if (code !== 0 || !m) return fail(new ConsulGitopsError('internal', `node ${args.join(' ')} exited ${code}: ${err}`));
      done({ wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMiB: Number(m[3]) / 1024, stdout: out });
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

console.log(`read + parse, whole processes (built), median of ${RUNS} alternating runs${BASE_REF ? `; base: ${BASE_REF}` : ''}`);
for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-read-parse-'));
  const twinDir = mkdtempSync(join(tmpdir(), 'consul-gitops-read-parse-json-'));
  try {
    const files = readParseFiles(n);
    writeFiles(join(dir, 'config-entries'), files);
    const parsed = parseSourceFiles((await readLocalFiles(['config-entries'], dir)).files);
    if (parsed.errors.length || parsed.entries.length !== n) throw new ConsulGitopsError('internal', `the tree of ${n} should hold ${n} valid entries`);
    writeFiles(join(twinDir, 'config-entries'), plainJsonTwin(files, parsed.entries));

    const commands: Record<string, { args: string[]; cwd: string }> = {
      'node -e 0': { args: ['-e', '0'], cwd: dir },
      'floor (readFileSync + JSON.parse)': { args: [plain], cwd: twinDir },
      ...Object.fromEntries(Object.entries(readers).map(([name, file]) => [name, { args: [file], cwd: dir }])),
    };
    const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < RUNS; i++) for (const [k, c] of Object.entries(commands)) runs[k].push(await run(c.args, c.cwd));
    const med = Object.fromEntries(
      Object.entries(runs).map(([k, rs]) => [
        k,
        { wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)), rssMiB: median(rs.map((r) => r.rssMiB)) },
      ]),
    );
    for (const [k, rs] of Object.entries(runs))
      if (k !== 'node -e 0' && rs.some((r) => r.stdout !== String(n))) throw new ConsulGitopsError('internal', `${k} read ${rs[0].stdout} entries, not ${n}`);

    const floor = med['floor (readFileSync + JSON.parse)'];
    console.log(`  ${n} files:`);
    for (const [k, m] of Object.entries(med))
      console.log(
        `    ${k.padEnd(36)} CPU ${f0(m.cpuMs).padStart(5)} ms, wall ${f0(m.wallMs).padStart(5)} ms, peak RSS ${f0(m.rssMiB).padStart(4)} MiB` +
          (k === 'node -e 0' || m === floor ? '' : ` | ${f2(m.cpuMs / floor.cpuMs)}x the floor's CPU, ${f2(m.rssMiB / floor.rssMiB)}x its RSS`),
      );
    if (BASE_REF) {
      const now = med['read+parse'];
      const before = med[`read+parse@${BASE_REF}`];
      const node = med['node -e 0'];
      console.log(
        `    read+parse against ${BASE_REF}: ${f2(now.cpuMs / before.cpuMs)}x CPU (${f2((now.cpuMs - node.cpuMs) / (before.cpuMs - node.cpuMs))}x above node's own start), ${f2(now.wallMs / before.wallMs)}x wall, ${f2(now.rssMiB / before.rssMiB)}x peak RSS`,
      );
    }
    // The same parse warm, in one process: what `serve` and a warm Lambda container spend per push.
    const warmMs: Record<string, number[]> = Object.fromEntries(Object.keys(warm).map((k) => [k, []]));
    for (let i = 0; i < RUNS; i++) for (const [k, file] of Object.entries(warm)) warmMs[k].push(Number((await run([file], dir)).stdout));
    for (const [k, ms] of Object.entries(warmMs))
      console.log(`    ${k.padEnd(36)} CPU ${f0(median(ms)).padStart(5)} ms per parse of the ${n} files, after two`);
    if (BASE_REF) console.log(`    warm parse against ${BASE_REF}: ${f2(median(warmMs['warm parse']) / median(warmMs[`warm parse@${BASE_REF}`]))}x CPU`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(twinDir, { recursive: true, force: true });
  }
}
