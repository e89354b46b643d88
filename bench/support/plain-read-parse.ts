// The floor for reading and parsing a tree, run as its own process by bench/read-parse.bench.ts:
// every file of the tree in the working directory read with readFileSync and parsed with V8's
// JSON.parse, in sorted order, with no limits, positions or decoding.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir: string, out: unknown[]): void {
  const names = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const d of names) {
    const path = join(dir, d.name);
    if (d.isDirectory()) walk(path, out);
    else out.push(JSON.parse(readFileSync(path, 'utf8')));
  }
}

const entries: unknown[] = [];
walk(join(process.cwd(), 'config-entries'), entries);
process.stdout.write(String(entries.length));
