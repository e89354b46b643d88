// A config-entry file that is not UTF-8 (a Latin-1 editor, a binary pasted in): Consul's HCL1 and
// JSON scanners refuse it ("illegal UTF-8 encoding"), so `consul config write` would never send it.
// consul-gitops read the bytes with replacement and rendered U+FFFD in their place: the entry it
// applied differed from the file, silently. Now the file is refused, named, with the line and column.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

describe('a config-entry file that is not UTF-8', () => {
  it('is an error naming the file, line and column, as Consul refuses it', async () => {
    const cwd = tempTree({ 'config-entries/.keep': '' });
    const bytes = Buffer.concat([Buffer.from('Kind = "service-defaults"\nName = "api"\nMeta = { owner = "'), Buffer.from([0xe9]), Buffer.from('quipe" }\n')]);
    writeFileSync(join(cwd, 'config-entries', 'api.hcl'), bytes);
    const r = await runCli(['render', '--json'], cwd);
    expect(r.stdout).not.toContain('\ufffd');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config-entries/api.hcl');
    expect(r.stderr).toContain('config-entries/api.hcl:3:19: not UTF-8 text: byte 0xe9 at line 3, column 19');
  });
});

describe('plan, on a tree with one file that is not UTF-8', () => {
  it('plans nothing and names the file, like any unreadable file', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\n' });
    writeFileSync(join(cwd, 'config-entries', 'api.json'), Buffer.from([0x7b, 0x22, 0x4b, 0x69, 0x6e, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    const r = await runCli(['validate'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config-entries/api.json');
    expect(r.stderr).toContain('config-entries/api.json:1:10: not UTF-8 text: byte 0xff at line 1, column 10');
  });
});
