// The files port of import on the local disk: paths relative to a root, each file written to a
// temporary name and moved into place, so a reader never sees half a file.
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { EntryFile, ImportFiles } from '../../app/import-entries.ts';

export class LocalImportFiles implements ImportFiles {
  constructor(private readonly root: string) {}

  private abs(path: string): string {
    return isAbsolute(path) ? path : resolve(this.root, path);
  }

  async read(path: string): Promise<string | undefined> {
    try {
      return await readFile(this.abs(path), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async write(files: readonly EntryFile[], replace: boolean): Promise<void> {
    for (const f of files) {
      const target = this.abs(f.path);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, f.text, { flag: 'wx' });
      try {
        // link() fails with EEXIST instead of replacing: a file that appeared since the check stays.
        if (replace) await rename(temp, target);
        else await link(temp, target);
      } finally {
        if (!replace) await unlink(temp).catch(() => undefined);
      }
    }
  }
}
