// The files side of import, declared by the use case; src/adapters/files/import-files.ts implements it.

export interface EntryFile {
  path: string;
  text: string;
}

/** The files side of import, implemented at the edge (src/adapters/files/import-files.ts). */
export interface ImportFiles {
  /** The file's text, or undefined when there is none. */
  read(path: string): Promise<string | undefined>;
  /** Each file written atomically; `replace` false refuses to replace a file that appeared meanwhile. */
  write(files: readonly EntryFile[], replace: boolean): Promise<void>;
}
