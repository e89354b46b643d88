// Reads config-entry files from a local checkout: files or directories, walked in a stable order.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { SourceFile } from '../../core/parse-files.ts';

export interface LocalFilesResult {
  files: SourceFile[];
  /** Paths that could not be read (missing, unreadable), with the reason. */
  unreadable: { path: string; message: string }[];
}

export async function readLocalFiles(paths: readonly string[], cwd = process.cwd()): Promise<LocalFilesResult> {
  const result: LocalFilesResult = { files: [], unreadable: [] };
  for (const p of paths) await visit(resolve(cwd, p), p, result, cwd);
  return result;
}

async function visit(abs: string, shown: string, result: LocalFilesResult, cwd: string): Promise<void> {
  let info;
  try {
    info = await stat(abs);
  } catch (e) {
    result.unreadable.push({ path: shown, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String(e) });
    return;
  }
  if (info.isDirectory()) {
    const names = (await readdir(abs)).filter((n) => !n.startsWith('.')).sort();
    for (const n of names) await visit(join(abs, n), relative(cwd, join(abs, n)) || n, result, cwd);
    return;
  }
  try {
    result.files.push({ path: shown, text: await readFile(abs, 'utf8') });
  } catch (e) {
    result.unreadable.push({ path: shown, message: String(e) });
  }
}
