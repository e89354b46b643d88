// Paths in messages are relative to the working directory, as the user would type them, however the
// tree was named: below the working directory, above it (`..`), beside it (`../other`). The reader
// builds paths once per directory (src/adapters/files/local-files.ts); these pin what users see.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const broken = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocl = "http"\n`;

/** The file paths that validate's errors name, once each, sorted. */
function erroredPaths(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^(?:error: )?(\S+\.hcl):\d+:\d+/gm)].map((m) => m[1]))].sort();
}

describe('paths shown for files read from a tree', () => {
  it('names files below the working directory as dir/file', async () => {
    const dir = tempTree({ 'ce/b.hcl': broken('b'), 'ce/a/x.hcl': broken('x'), 'ce/c.hcl': broken('c') });
    const run = await runCli(['validate', 'ce'], dir);
    expect(erroredPaths(run.stderr)).toEqual(['ce/a/x.hcl', 'ce/b.hcl', 'ce/c.hcl']);
    expect(run.code).toBe(1);
  });

  it('names files above and beside the working directory by the shortest relative path', async () => {
    const dir = tempTree({ 'ce/a.hcl': broken('a'), 'ce/sub/b.hcl': broken('b'), 'ce/sub/deeper/d.hcl': broken('d'), 'other/c.hcl': broken('c') });
    const run = await runCli(['validate', '..', '../../other', './deeper/'], join(dir, 'ce', 'sub'));
    // ce/sub is the working directory: its files are `b.hcl`, not `../sub/b.hcl`.
    expect(erroredPaths(run.stderr)).toEqual(['../../other/c.hcl', '../a.hcl', 'b.hcl', 'deeper/d.hcl']);
    expect(run.code).toBe(1);
  });
});
