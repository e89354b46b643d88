// The reader hands back each file's exact text: small files share one read buffer
// (src/adapters/files/local-files.ts), so one file's bytes must never show through in another's,
// whatever the order of sizes, and a file larger than that buffer reads whole.
import { describe, expect, it } from 'vitest';
import { readLocalFiles } from '../../../src/adapters/files/local-files.ts';
import { tempTree } from '../../support/run-cli.ts';

describe('file texts as read', () => {
  it('are exact for files of every size in any order, including non-ASCII text', async () => {
    const big = `Kind = "service-defaults"\nName = "big"\n${'# filler ü\n'.repeat(9000)}`; // about 100 KiB
    const texts: Record<string, string> = {
      'ce/a.hcl': big,
      'ce/b.hcl': 'Kind = "mesh"\n',
      'ce/c.yaml': `Kind: service-defaults\nName: c\nMeta:\n  owner: "${'x'.repeat(60_000)}"\n`,
      'ce/d.json': '{"Kind": "service-defaults", "Name": "dé"}',
      'ce/e.hcl': '',
    };
    const dir = tempTree(texts);
    const { files, unreadable } = await readLocalFiles(['ce'], dir);
    expect(unreadable).toEqual([]);
    expect(Object.fromEntries(files.map((f) => [f.path, f.text]))).toEqual(texts);
  });
});
