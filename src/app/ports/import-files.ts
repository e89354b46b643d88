// The files side of import, declared by the use case; src/adapters/files/import-files.ts implements it.
import type { SourceFile } from '../../core/parse-files.ts';

export interface EntryFile {
  path: string;
  text: string;
}

/** The files side of import, implemented at the edge (src/adapters/files/import-files.ts). */
export interface ImportFiles {
  /** The file's text, or undefined when there is none. */
  read(path: string): Promise<string | undefined>;
  /** Every config-entry file under `dir`, as plan reads the tree, with paths spelled `dir/…` (none when `dir` does not exist). */
  tree(dir: string): Promise<SourceFile[]>;
  /** Why a file cannot be written at `path` under `dir` (a folder on the way is a link or a file), if so. */
  placeProblem(dir: string, path: string): Promise<string | undefined>;
  /** Every file written, or none: `replace` false refuses to replace a file that appeared meanwhile. */
  write(files: readonly EntryFile[], replace: boolean): Promise<void>;
}
