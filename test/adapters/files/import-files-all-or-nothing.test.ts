// The local files side of `consul-gitops import` writes every file or none: a write that fails
// midway (here a file where a folder must be, or a file that appeared since the check; on a real
// disk, a full one) leaves no file of the import behind and puts back every file it replaced.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalImportFiles } from '../../../src/adapters/files/import-files.ts';
import { tempTree } from '../../support/run-cli.ts';

/** Every file and folder under `dir`, temporary dot files included. */
function everything(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((d) => `${join(d.parentPath, d.name).slice(dir.length + 1)}${d.isDirectory() ? '/' : ''}`)
    .sort();
}

describe('import files: all or nothing', () => {
  it('a file that cannot be written stops the others before any is in place', async () => {
    const dir = tempTree({ 'config-entries/blocker': 'not a folder\n' });
    const files = new LocalImportFiles(dir);
    const write = files.write(
      [
        { path: 'config-entries/service-defaults/web.hcl', text: 'web\n' },
        { path: 'config-entries/blocker/api.hcl', text: 'api\n' },
        { path: 'config-entries/service-router/web.hcl', text: 'router\n' },
      ],
      false,
    );
    await expect(write).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(everything(dir)).toEqual(['config-entries/', 'config-entries/blocker']);
  });

  it('a file that appeared since the check undoes the files already in place, and leaves that one alone', async () => {
    const dir = tempTree({ 'config-entries/service-defaults/api.hcl': 'mine\n' });
    const files = new LocalImportFiles(dir);
    const write = files.write(
      [
        { path: 'config-entries/service-defaults/web.hcl', text: 'web\n' },
        { path: 'config-entries/service-defaults/api.hcl', text: 'api\n' },
        { path: 'config-entries/service-router/web.hcl', text: 'router\n' },
      ],
      false,
    );
    await expect(write).rejects.toMatchObject({ code: 'EEXIST' });
    expect(everything(dir)).toEqual(['config-entries/', 'config-entries/service-defaults/', 'config-entries/service-defaults/api.hcl']);
    expect(readFileSync(join(dir, 'config-entries/service-defaults/api.hcl'), 'utf8')).toBe('mine\n');
  });

  it('--force: a failure puts back the files already replaced', async () => {
    const dir = tempTree({ 'config-entries/service-defaults/web.hcl': 'old web\n' });
    // A folder where a file is to be replaced: it cannot be.
    mkdirSync(join(dir, 'config-entries/service-defaults/api.hcl'));
    writeFileSync(join(dir, 'config-entries/service-defaults/api.hcl/keep'), 'kept\n');
    const files = new LocalImportFiles(dir);
    const write = files.write(
      [
        { path: 'config-entries/service-defaults/web.hcl', text: 'new web\n' },
        { path: 'config-entries/service-defaults/api.hcl', text: 'api\n' },
      ],
      true,
    );
    await expect(write).rejects.toThrow();
    expect(readFileSync(join(dir, 'config-entries/service-defaults/web.hcl'), 'utf8')).toBe('old web\n');
    expect(everything(dir)).toEqual([
      'config-entries/',
      'config-entries/service-defaults/',
      'config-entries/service-defaults/api.hcl/',
      'config-entries/service-defaults/api.hcl/keep',
      'config-entries/service-defaults/web.hcl',
    ]);
  });

  it('writes every file when nothing fails, and no temporary file stays', async () => {
    const dir = tempTree({ 'config-entries/service-defaults/web.hcl': 'old web\n' });
    const files = new LocalImportFiles(dir);
    await files.write(
      [
        { path: 'config-entries/service-defaults/web.hcl', text: 'new web\n' },
        { path: 'config-entries/service-router/web.hcl', text: 'router\n' },
      ],
      true,
    );
    expect(everything(dir)).toEqual([
      'config-entries/',
      'config-entries/service-defaults/',
      'config-entries/service-defaults/web.hcl',
      'config-entries/service-router/',
      'config-entries/service-router/web.hcl',
    ]);
    expect(readFileSync(join(dir, 'config-entries/service-defaults/web.hcl'), 'utf8')).toBe('new web\n');
  });
});
