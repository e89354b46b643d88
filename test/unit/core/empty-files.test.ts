// One rule for empty files in every format: an empty, blank or comment-only file is an error (as
// `consul config write` refuses it), so an accidentally emptied file never drops an entry.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

describe('empty files', () => {
  it('are the same error in HCL, JSON and YAML', async () => {
    const dir = tempTree({
      'a.hcl': '',
      'b.hcl': '# only a comment\n// and another\n',
      'c.json': '  \n',
      'd.yaml': '',
      'e.yaml': '# nothing here\n---\n',
      'ok.yaml': 'Kind: mesh\n---\n# a trailing empty document is fine\n',
    });
    const run = await runCli(['validate', '.'], dir);
    expect(run.code).toBe(1);
    for (const f of ['a.hcl', 'b.hcl', 'c.json', 'd.yaml', 'e.yaml'])
      expect(run.stderr).toContain(`${f}:1:1: the file holds no config entry (it is empty or only comments)`);
    expect(run.stderr).not.toContain('ok.yaml');
    expect(run.stderr).toContain('5 errors in 5 file(s)');
  });
});
