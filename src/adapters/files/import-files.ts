// The files port of import on the local disk: paths relative to a root. All or nothing: every file
// is first written to a temporary name beside its place, then each is moved into place; a failure
// at any step (a full disk, a file that appeared meanwhile) removes what this import wrote and puts
// back what it replaced, so a reader sees the whole import or none of it, never half a tree.
import { link, lstat, mkdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { EntryFile, ImportFiles } from '../../app/ports/import-files.ts';
import type { SourceFile } from '../../core/parse-files.ts';
import { readLocalFiles } from './local-files.ts';

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

  async tree(dir: string): Promise<SourceFile[]> {
    // A --dir that does not exist yet holds nothing; links below it are not followed, as plan reads it.
    const base = this.abs(dir);
    if (!(await lstat(base).catch(() => undefined))) return [];
    // Spelled as import spells its own paths (`dir/kind/name.ext`), so one file is one path.
    const prefix = dir.replace(/\/+$/, '');
    return (await readLocalFiles([dir], this.root)).files.map((f) => ({
      path: `${prefix}/${relative(base, resolve(this.root, f.path)).split(sep).join('/')}`,
      text: f.text,
    }));
  }

  /**
   * The folders between `dir` and `path` are each a real folder or not there yet: a symbolic link
   * on the way could lead out of `dir` (plan does not follow one below it, so it would never read
   * the file either), and a file where a folder must be makes the write fail. The file itself, if
   * there, is a regular file: plan reads no link, and a folder or a device is no entry's file.
   */
  async placeProblem(dir: string, path: string): Promise<string | undefined> {
    // Entries share their kind's folder: each folder is judged once.
    const key = `${dir}\u0000${dirname(path)}`;
    let judged = this.placed.get(key);
    if (!judged) this.placed.set(key, (judged = this.folderProblem(dir, path)));
    const folder = await judged;
    if (folder) return folder;
    const info = await lstatIfThere(this.abs(path));
    if (!info || info.isFile()) return undefined;
    return info.isSymbolicLink()
      ? `${path} is a symbolic link: plan does not follow links below ${dir}, so the entry would not be read from it`
      : `${path} is not a regular file`;
  }

  private readonly placed = new Map<string, Promise<string | undefined>>();

  private async folderProblem(dir: string, path: string): Promise<string | undefined> {
    const base = this.abs(dir);
    const parts = relative(base, dirname(this.abs(path)))
      .split(sep)
      .filter(Boolean);
    if (parts[0] === '..') return `${dirname(path)} is not under ${dir}`;
    let at = base;
    for (const part of parts) {
      at = `${at}${sep}${part}`;
      const info = await lstatIfThere(at);
      if (!info) return undefined;
      const shown = relative(this.root, at) || '.';
      if (info.isSymbolicLink())
        return `${shown} is a symbolic link: a file written through it could land outside ${dir}, and plan does not follow links below it`;
      if (!info.isDirectory()) return `${shown} is a file, where import needs a folder`;
    }
    return undefined;
  }

  async write(files: readonly EntryFile[], replace: boolean): Promise<void> {
    const made: string[] = [];
    const temps: string[] = [];
    const placed: { target: string; backup?: string }[] = [];
    const dirs = new Map<string, Promise<unknown>>();
    const ensureDir = (d: string) => {
      let done = dirs.get(d);
      if (!done)
        dirs.set(
          d,
          (done = mkdir(d, { recursive: true }).then((first) => {
            // Every folder from the first one made down to `d` is this import's, to remove on failure.
            for (let f = d; first !== undefined; f = dirname(f)) {
              made.push(f);
              if (f === first || dirname(f) === f) break;
            }
          })),
        );
      return done;
    };
    const staged = files.map((f) => ({ target: this.abs(f.path), text: f.text, temp: '' }));
    try {
      // 1. Every file's bytes on disk under a temporary name (a dot file: no reader of the tree sees it).
      await inParallel(staged, PARALLEL_WRITES, async (s) => {
        await ensureDir(dirname(s.target));
        s.temp = `${dirname(s.target)}${sep}.import-${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(s.temp, s.text, { flag: 'wx' });
        temps.push(s.temp);
      });
      // 2. Each into place. link() fails with EEXIST instead of replacing: a file that appeared since
      // the check stays. A file replaced (--force) is kept under a second name until the end.
      await inParallel(staged, PARALLEL_WRITES, async (s) => {
        if (!replace) {
          await link(s.temp, s.target);
          placed.push({ target: s.target });
          return;
        }
        const backup = `${s.temp}.old`;
        const kept = await link(s.target, backup).then(
          () => true,
          (e: NodeJS.ErrnoException) => {
            if (e.code === 'ENOENT') return false;
            throw e;
          },
        );
        if (kept) temps.push(backup);
        await rename(s.temp, s.target);
        placed.push({ target: s.target, ...(kept ? { backup } : {}) });
      });
    } catch (e) {
      // Undone in reverse: what was placed, then the temporary files, then the folders made.
      await Promise.all(placed.map((p) => (p.backup ? rename(p.backup, p.target) : unlink(p.target)).catch(() => undefined)));
      await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
      for (const d of made.sort((a, b) => b.length - a.length)) await rmdir(d).catch(() => undefined);
      throw e;
    }
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
  }
}

async function lstatIfThere(path: string): Promise<Stats | undefined> {
  return lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
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
