// The parse of a tree already read, repeated in one process as a long-running `serve` or a warm
// Lambda container repeats it on every push: prints the median CPU milliseconds of the parses after
// the first two (which V8 runs before its optimizing compiler has caught up). Built and run by
// bench/read-parse.bench.ts, from the current sources and from BENCH_BASE_REF's.
import { readLocalFiles } from '../../src/adapters/files/local-files.ts';
import { parseSourceFiles } from '../../src/core/parse-files.ts';

const ROUNDS = 8;
const { files } = await readLocalFiles(['config-entries'], process.cwd());
const cpu: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const start = process.cpuUsage();
  parseSourceFiles(files);
  const used = process.cpuUsage(start);
  if (i >= 2) cpu.push((used.user + used.system) / 1000);
}
cpu.sort((a, b) => a - b);
process.stdout.write(String(cpu[Math.floor(cpu.length / 2)]));
