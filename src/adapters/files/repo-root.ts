// Entries carry their source file in Meta; the path must not depend on where the CLI was started,
// or running from a subdirectory would rewrite every entry. Paths are made relative to the
// repository root (the nearest directory holding .git), as the GitHub source gives them.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../../core/parse-files.ts';

export function repositoryRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Files with paths relative to the repository root (POSIX separators); unchanged outside a repository. */
export function repositoryRelative(files: readonly SourceFile[], cwd: string): SourceFile[] {
  const root = repositoryRoot(cwd);
  if (!root) return [...files];
  return files.map((f) => ({ ...f, path: relative(root, resolve(cwd, f.path)).split(sep).join('/') }));
}
