// parse: source files (from a checkout or from GitHub at a commit) → decoded entries and every
// error of the tree at once. Pure: the caller reads the files.
import { configEntryError, type ConfigEntryError } from '../model/errors.ts';
import { parseHcl } from '../formats/hcl/parse-hcl.ts';
import { CURLY_QUOTE_HINT, parseJson } from '../formats/json.ts';
import { parseYaml } from '../formats/yaml.ts';
import type { ParseResult } from '../formats/raw.ts';
import { decodeDocument } from '../decode/decode-entry.ts';
import { decodeCrd, isCrdDocument } from '../decode/crd.ts';
import type { DecodedEntry, FileFormat } from '../decode/entry-source.ts';
import type { CrdNamespaces } from '../model/tenancy.ts';
import { newestSourceWarnings } from './version-check.ts';

export interface SourceFile {
  /** Path as the user knows it (relative to the repository or working directory). */
  path: string;
  text: string;
}

export interface ParsedTree {
  entries: DecodedEntry[];
  errors: ConfigEntryError[];
  /** Files skipped because they are not config entries (README.md, …). */
  notices: string[];
  /** Accepted as Consul accepts it, but worth a look (a duplicate key whose earlier value is dropped). */
  warnings: ConfigEntryError[];
  /** With a ValidatedFiles: the entries it gave (already validated), and each file parsed this time. */
  reused?: ReuseRecord;
}

/**
 * Files whose entries a previous run parsed, decoded, normalised and validated cleanly, by their
 * path and exact text, under the same options and build: the CLI's entry cache (cli/entry-cache.ts).
 * A file it knows is neither parsed nor checked again; the cross-entry rules still see every entry.
 */
export interface ValidatedFiles {
  /** The file's entries as validated before (each a fresh object, the caller's to keep), or undefined. */
  lookup(file: SourceFile): DecodedEntry[] | undefined;
  /** A file whose every entry decoded and validated with no error and no warning. */
  remember(file: SourceFile, entries: readonly DecodedEntry[]): void;
}

/** What parseSourceFiles did with a ValidatedFiles: which entries are reused, which files were parsed. */
export interface ReuseRecord {
  cache: ValidatedFiles;
  /**
   * 1 at the index (in the tree's entries) of each entry the cache gave: validated already, for the
   * options the cache was opened with. Marks by index, not a set of the entries: a set hashes each
   * object (V8 then stores an identity hash in every entry), about a tenth of a cached plan's validation.
   */
  entries: number[];
  /** Files parsed this time, each with its entries' range in `entries` and whether it decoded cleanly. */
  parsed: { file: SourceFile; first: number; count: number; clean: boolean }[];
}

export function formatOfPath(path: string): Exclude<FileFormat, 'crd'> | undefined {
  // The extension is compared in place, letter by letter in either case, not copied and lower-cased:
  // this runs twice per file of the tree.
  const dot = path.lastIndexOf('.');
  if (dot < 0 || path.length - dot > 5) return undefined;
  if (extensionIs(path, dot, 'hcl')) return 'hcl';
  if (extensionIs(path, dot, 'json')) return 'json';
  if (extensionIs(path, dot, 'yaml') || extensionIs(path, dot, 'yml')) return 'yaml';
  return undefined;
}

/** Whether `path` ends with `.` + `ext` (lower-case letters) after `dot`, in any case. */
function extensionIs(path: string, dot: number, ext: string): boolean {
  if (path.length - dot - 1 !== ext.length) return false;
  // `| 0x20` lower-cases an ASCII letter, and maps nothing else onto one.
  for (let i = 0; i < ext.length; i++) if ((path.charCodeAt(dot + 1 + i) | 0x20) !== ext.charCodeAt(i)) return false;
  return true;
}

export function ignoredNotice(path: string): string {
  return `ignored ${path}: not a config-entry file (.hcl, .json, .yaml, .yml)`;
}

/** How a file's CRDs map Kubernetes namespaces: its target's `crdNamespaces` (absent: not mapped). */
export type CrdNamespacesOf = (path: string) => CrdNamespaces | undefined;

export function parseSourceFiles(files: readonly SourceFile[], crdNamespacesOf?: CrdNamespacesOf, cache?: ValidatedFiles): ParsedTree {
  const tree: ParsedTree = { entries: [], errors: [], notices: [], warnings: [] };
  const reused: ReuseRecord | undefined = cache && { cache, entries: [], parsed: [] };
  if (reused) tree.reused = reused;
  for (const file of files) {
    const format = formatOfPath(file.path);
    if (!format) {
      tree.notices.push(ignoredNotice(file.path));
      continue;
    }
    if (!reused) {
      parseSourceFile(file, format, tree, crdNamespacesOf?.(file.path));
      continue;
    }
    const known = reused.cache.lookup(file);
    if (known) {
      for (const d of known) reused.entries[tree.entries.push(d) - 1] = 1;
      continue;
    }
    const first = tree.entries.length;
    const problems = tree.errors.length + tree.warnings.length;
    parseSourceFile(file, format, tree, crdNamespacesOf?.(file.path));
    // A file the plan warns of (the newest Consul source's checks) is parsed every time, as one with
    // a decode warning is: what it gives is exactly an uncached run's.
    const clean = tree.errors.length + tree.warnings.length === problems && !tree.entries.slice(first).some((d) => newestSourceWarnings(d).length);
    reused.parsed.push({ file, first, count: tree.entries.length - first, clean });
  }
  return tree;
}

function parseSourceFile(file: SourceFile, format: Exclude<FileFormat, 'crd'>, tree: ParsedTree, crdNamespaces: CrdNamespaces | undefined): void {
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  // One rule for every format: a file with no entry at all (empty, blank, only comments) is an
  // error, as `consul config write` refuses it ("Payload does not contain a kind/Kind key"). An
  // emptied file is more likely a mistake than a wish, and with pruning it would delete the entry.
  // `/\S/` finds the first character that `trim` would keep, without copying the file.
  if (!/\S/.test(text)) return void tree.errors.push(emptyFileError(file.path));
  let parsed: ParseResult;
  // `consul config write` reads a file starting with `{` as JSON whatever its name.
  const hclAsJson = format === 'hcl' && /^\s*\{/.test(text);
  if (format === 'json' || hclAsJson) parsed = parseJson(text);
  else if (format === 'hcl') parsed = parseHcl(text);
  else parsed = parseYaml(text);
  if (!parsed.ok) {
    for (const p of parsed.problems) tree.errors.push(configEntryError('syntax', file.path, p.pos, '', p.message, p.hint));
    return;
  }
  const [only] = parsed.documents;
  if (parsed.documents.length === 0 || (parsed.documents.length === 1 && only.type === 'object' && only.entries.length === 0 && format === 'hcl' && !hclAsJson))
    return void tree.errors.push(emptyFileError(file.path));
  for (const doc of parsed.documents) {
    const outcome = format === 'yaml' && isCrdDocument(doc) ? decodeCrd(doc, file.path, crdNamespaces) : decodeDocument(doc, file.path, format);
    if (outcome.ok) {
      tree.entries.push(outcome.decoded);
      if (outcome.warnings.length) tree.warnings.push(...outcome.warnings);
    } else tree.errors.push(...outcome.errors.map(withCurlyQuoteHint));
  }
}

function emptyFileError(path: string): ConfigEntryError {
  return configEntryError('decode', path, undefined, '', 'the file holds no config entry (it is empty or only comments)', 'add an entry, or delete the file');
}

function withCurlyQuoteHint(e: ConfigEntryError): ConfigEntryError {
  return !e.hint && /[“”‘’]/.test(e.message) ? { ...e, hint: CURLY_QUOTE_HINT } : e;
}
