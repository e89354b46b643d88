// npm run bench (CLI start-up): `--help` and `validate` of one small file through the built CLI
// (dist/, as installed) and through the TypeScript source with tsx (how bin/ ran before the build),
// each as a ratio to `node -e 0` measured in the same run, runs interleaved so load hits all alike.
// Goals: built `--help` at most 2x `node -e 0`, built `validate` at most 3x.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliForBench } from './support/built-cli.ts';

const ROUNDS = Number(process.env.CLI_START_ROUNDS ?? 15);
const built = await buildCliForBench();
process.on('exit', () => built.remove());

const tree = mkdtempSync(join(tmpdir(), 'cli-start-'));
mkdirSync(join(tree, 'service-defaults'));
writeFileSync(join(tree, 'service-defaults', 'web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');

const CASES: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'built --help': [built.bin, '--help'],
  'built validate': [built.bin, 'validate', tree],
  'tsx source --help': ['bin/consul-gitops.js', '--help'],
  'tsx source validate': ['bin/consul-gitops.js', 'validate', tree],
};
const GOALS: Record<string, number> = { 'built --help': 2, 'built validate': 3 };

function runMs(args: string[]): number {
  const t = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
for (const args of Object.values(CASES)) runMs(args); // warm the file cache once
for (let i = 0; i < ROUNDS; i++) for (const [name, args] of Object.entries(CASES)) samples[name].push(runMs(args));
rmSync(tree, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['node -e 0']);
console.log(`CLI start-up, median of ${ROUNDS} interleaved runs, as ratios to node -e 0 (${base.toFixed(0)} ms on this machine now)`);
for (const name of Object.keys(CASES)) {
  const ratio = median(samples[name]) / base;
  const goal = GOALS[name];
  const verdict = goal === undefined ? '' : `, goal <= ${goal}x -> ${ratio <= goal ? 'met' : 'MISSED'}`;
  console.log(`  ${name.padEnd(20)} ${ratio.toFixed(2)}x${verdict}`);
}
