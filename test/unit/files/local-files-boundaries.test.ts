// Files at the edges of the reader's buffers and limits (src/adapters/files/local-files.ts): a file
// is read whole up to the per-file limit and refused one byte past it, with its size, whether it fits
// the shared 64 KiB read buffer or not, and whether the limit is below or above that buffer.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const KiB = 1024;

/** A valid service-defaults entry of exactly `bytes` bytes (a YAML comment pads it). */
function entryOfSize(name: string, bytes: number): string {
  const head = `Kind: service-defaults\nName: ${name}\n# `;
  return head + 'x'.repeat(bytes - head.length - 1) + '\n';
}

describe('files at the edges of the read buffer and the limits', () => {
  it('reads files just under, at and just over the 64 KiB buffer whole', async () => {
    const sizes = [64 * KiB - 1, 64 * KiB, 64 * KiB + 1, 128 * KiB, 128 * KiB + 1];
    const dir = tempTree(Object.fromEntries(sizes.map((n, i) => [`ce/s${i}.yaml`, entryOfSize(`s${i}`, n)])));
    const run = await runCli(['render', '--json', 'ce'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const names = (JSON.parse(run.stdout) as { Name: string }[]).map((e) => e.Name);
    expect(names).toEqual(sizes.map((_, i) => `s${i}`));
  });

  for (const size of [1000, 64 * KiB, 100 * KiB]) {
    it(`accepts a file of ${size} bytes at a limit of exactly its size, and refuses it with its size one byte below`, async () => {
      const dir = tempTree({ 'ce/a.yaml': entryOfSize('a', size), 'ce/b.hcl': 'Kind = "mesh"\n' });
      const at = await runCli(['validate', '--max-file-size', String(size), 'ce'], dir);
      expect(at.stderr).toBe('');
      expect(at.stdout).toBe('2 entries valid\n');
      const below = await runCli(['validate', '--max-file-size', String(size - 1), 'ce'], dir);
      expect(below.code).toBe(1);
      expect(below.stdout).toBe('');
      expect(below.stderr).toContain(`ce/a.yaml:1:1: the file is ${size < KiB ? `${size} bytes` : `${(size / KiB).toFixed(1)} KiB (${size} bytes)`}, over the`);
    });
  }

  it('names the whole size of a file far over a limit smaller than the read buffer', async () => {
    const dir = tempTree({ 'ce/big.yaml': entryOfSize('big', 3 * 1024 * KiB) });
    const run = await runCli(['validate', '--max-file-size', '1KiB', 'ce'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ce/big.yaml:1:1: the file is 3.0 MiB (3145728 bytes), over the 1 KiB limit per file');
  });
});
