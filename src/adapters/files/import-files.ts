// The files port of import on the local disk: paths relative to a root, each file written to a
// temporary name and moved into place, so a reader never sees half a file.
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { EntryFile, ImportFiles } from '../../app/ports/import-files.ts';

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
    const dirs = new Map<string, Promise<unknown>>();
    const ensureDir = (d: string) => {
      let made = dirs.get(d);
      if (!made) dirs.set(d, (made = mkdir(d, { recursive: true })));
      return made;
    };
    await inParallel(files, PARALLEL_WRITES, async (f) => {
      const target = this.abs(f.path);
      await ensureDir(dirname(target));
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, f.text, { flag: 'wx' });
      try {
        // link() fails with EEXIST instead of replacing: a file that appeared since the check stays.
        if (replace) await rename(temp, target);
        else await link(temp, target);
      } finally {
        if (!replace) await unlink(temp).catch(() => undefined);
      }
    });
  }
}

/** Files in flight at once: enough to hide disk latency, few enough to stay far from EMFILE. */
const PARALLEL_WRITES = 32;

/** Runs `fn` over `items`, at most `limit` at a time; the first failure is thrown after all settle. */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item).catch((e: unknown) => errors.push(e));
      }
    }),
  );
  if (errors.length) throw errors[0];
}
