// The repository stands alone: a clean clone on another machine runs its tests and reads its
// comments without files from outside it (a test read reference data from an absolute path once).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src', 'test', 'bench', 'functions', 'infra', 'scripts', 'bin'];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && !name.startsWith('.')) sourceFiles(p, out);
    } else if (/\.(ts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

describe('the repository is self-contained', () => {
  it('no source, test or script reads a path outside the repository', () => {
    const outside = ROOTS.flatMap((r) => sourceFiles(r))
      .filter((f) => f !== join('test', 'unit', 'self-contained.test.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ f, line, n: i + 1 })),
      )
      .filter(({ line }) => /['"`]\/work\/|\.\.\/\.\.\/shared\//.test(line))
      .map(({ f, n, line }) => `${f}:${n}: ${line.trim()}`);
    expect(outside).toEqual([]);
  });

  it('comments cite Consul, Envoy or Prometheus sources and docs, not notes a reader of the repository does not have', () => {
    const notes = /(consul-config-api|envoy-stats|crd-mapping|style-anchors|consul-decode-vectors)\.(md|json)|shared\/reference/;
    const cited = ROOTS.flatMap((r) => sourceFiles(r))
      .filter((f) => f !== join('test', 'unit', 'self-contained.test.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ f, line, n: i + 1 })),
      )
      .filter(({ line }) => notes.test(line) && /^\s*(\/\/|\*|\/\*)/.test(line))
      .map(({ f, n, line }) => `${f}:${n}: ${line.trim()}`);
    expect(cited).toEqual([]);
  });
});
