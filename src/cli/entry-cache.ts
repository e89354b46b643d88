// The built CLI's cache of validated entries, by file content (as ESLint's --cache and tsc's
// incremental build): a file whose path and bytes a previous `plan` with the same build, Node and
// options saw validate cleanly is not parsed, decoded, normalised or checked again; its entries come
// from one line of the cache instead. The cross-entry rules still run over every entry, every time.
//
// Every file is still read, and its text hashed: the content decides, never a time stamp. What a
// file gives is kept only when every entry of it decoded and validated with no error and no warning,
// and only when JSON holds it exactly (no bigint, -0, undefined or other non-JSON value: such a file
// is parsed each time), so errors, warnings and positions come out as an uncached run's.
//
// It lives beside the code cache (code-cache.ts) under the same rules: the user's cache directory,
// owned by this user and writable by nobody else, files of mode 0600 written whole and renamed into
// place, keyed by the bundle's hash, Node's version and the plan's options, with a hash of the
// payload; anything stale, foreign or corrupt is ignored, never an error. One file per target
// directory and target. CONSUL_GITOPS_ENTRY_CACHE=0 turns it off. Only the built CLI's code-cached
// commands use it (run.ts is told the bundle's hash); serve and the Lambda functions are warm
// processes that parse each tree once.
import { hash } from 'node:crypto';
import { join } from 'node:path';
import type { SourcePosition } from '../model/errors.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import type { FileFormat } from '../decode/entry-source.ts';
import { FieldPositions } from '../decode/field-positions.ts';
import type { SourceFile, ValidatedFiles } from '../core/parse-files.ts';
import type { ValidatedEntry } from '../core/validate-tree.ts';
import { codeCacheDir, readTrusted, sha256, trustedDir, writeAtomically } from './code-cache.ts';

const MAGIC = Buffer.from('consul-gitops entry cache 1\n');
/** 50,000 entries take about 40 MB; anything far larger is not one of ours. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Each line: the file's key (base64 SHA-256 of path and text, KEY_CHARS long), a space, its entries as JSON. */
const KEY_CHARS = 44;

let buildHash: Buffer | undefined;

/** The running bundle's SHA-256 (cached-run.ts): without it (the TypeScript source, the ES module build) there is no entry cache. */
export function setBuildHash(hashOfBundle: Buffer): void {
  buildHash = hashOfBundle;
}

export interface EntryCache {
  /** The cache for a render with these options (`scope`: everything besides a file that shapes its entries). */
  scoped(scope: string): ValidatedFiles;
  /** Writes the cache when this run parsed a file it did not hold, or no longer saw one it held. */
  save(): void;
}

/**
 * The entry cache of the files under `dir` (absolute) for target `target`; undefined when off:
 * CONSUL_GITOPS_ENTRY_CACHE=0, not the built CLI, no owner ids (Windows), or no cache directory.
 */
export function openEntryCache(dir: string, target: string, env: Readonly<Record<string, string | undefined>> = process.env): EntryCache | undefined {
  const uid = process.getuid?.();
  const cacheDir = codeCacheDir(env);
  if (env.CONSUL_GITOPS_ENTRY_CACHE === '0' || !buildHash || uid === undefined || cacheDir === undefined) return undefined;
  const build = buildHash;
  const file = join(cacheDir, `entries-${sha256(`${dir}\0${target}`).toString('hex').slice(0, 32)}.cache`);
  let lines: Map<string, string> | undefined;
  let used: string[] = [];
  let dirty = false;
  let key: Buffer | undefined;
  return {
    scoped(scope) {
      key = sha256(`${process.version}\0${process.arch}\0${scope}\0`, build);
      lines = readLines(file, key, cacheDir, uid);
      used = [];
      dirty = false;
      return {
        lookup(source) {
          const k = keyOf(source);
          const line = lines!.get(k);
          if (line === undefined) return undefined;
          const entries = entriesOf(line, source.path);
          if (entries) used.push(line);
          else dirty = true;
          return entries;
        },
        remember(source, entries) {
          const json = recordOf(entries as readonly ValidatedEntry[], source.path);
          if (json === undefined) return;
          used.push(`${keyOf(source)} ${json}`);
          dirty = true;
        },
      };
    },
    save() {
      if (!key || !lines) return;
      // A file gone or changed since leaves its line unused: written again without it.
      if (!dirty && used.length === lines.size) return;
      const data = Buffer.from(used.join('\n'), 'utf8');
      writeAtomically(cacheDir, file, [MAGIC, Buffer.from([1]), key, sha256(data), data], uid);
    },
  };
}

function readLines(file: string, key: Buffer, dir: string, uid: number): Map<string, string> {
  const lines = new Map<string, string>();
  const found = trustedDir(dir, uid) ? readTrusted(file, key, uid, MAGIC, MAX_FILE_BYTES) : undefined;
  if (!found) return lines;
  for (const line of found.data.toString('utf8').split('\n')) if (line.length > KEY_CHARS) lines.set(line.slice(0, KEY_CHARS), line);
  return lines;
}

/** The file's key: its path and text, which alone (with the scope) decide what it gives. */
function keyOf(file: SourceFile): string {
  return hash('sha256', `${file.path}\0${file.text}`, 'base64');
}

/**
 * One file's entries, as stored: per entry [decoded entry, or 0 when it is the normalised form
 * field for field; normalised entry; format; position; 1 when every decoded value was kept;
 * field paths and positions, alternating; normalizedFor, or 0]. A position is packed as
 * field-positions.ts packs it (line × 2048 + column), or [line, column].
 */
type EntryRecord = [ApiEntry | 0, ApiEntry, FileFormat, number | [number, number], 0 | 1, (string | number | [number, number])[], string | 0];

const pack = (p: SourcePosition): number | [number, number] =>
  p.line >= 0 && p.line < 2 ** 19 && p.column >= 0 && p.column < 2048 && Number.isInteger(p.line) && Number.isInteger(p.column)
    ? p.line * 2048 + p.column
    : [p.line, p.column];

const unpack = (v: number | [number, number]): SourcePosition =>
  typeof v === 'number' ? { line: Math.floor(v / 2048), column: v % 2048 } : { line: v[0], column: v[1] };

function recordOf(entries: readonly ValidatedEntry[], path: string): string | undefined {
  const records: EntryRecord[] = [];
  for (const e of entries) {
    if (e.file !== path || !(e.fieldPositions instanceof FieldPositions) || !jsonExact(e.entry) || !jsonExact(e.normalized)) return undefined;
    const positions: EntryRecord[5] = [];
    for (const [path, pos] of e.fieldPositions) positions.push(path, pack(pos));
    const normalized = JSON.stringify(e.normalized);
    const same = JSON.stringify(e.entry) === normalized;
    records.push([same ? 0 : e.entry, e.normalized, e.format, pack(e.pos), e.fieldPositions.everyValueKept ? 1 : 0, positions, e.normalizedFor ?? 0]);
  }
  return JSON.stringify(records);
}

/** The entries of a line, built as the decoder and validation build them; undefined when the line is not one of ours. */
function entriesOf(line: string, path: string): ValidatedEntry[] | undefined {
  let records: EntryRecord[];
  try {
    records = JSON.parse(line.slice(KEY_CHARS + 1)) as EntryRecord[];
  } catch {
    return undefined;
  }
  if (!Array.isArray(records)) return undefined;
  const entries: ValidatedEntry[] = [];
  for (const [entry, normalized, format, pos, kept, positions, normalizedFor] of records) {
    const fieldPositions = new FieldPositions();
    for (let i = 0; i < positions.length; i += 2) fieldPositions.set(positions[i] as string, unpack(positions[i + 1] as number | [number, number]));
    if (!kept) fieldPositions.notEveryValueKept();
    // Two objects, as normalising makes a copy: the decoded entry's top level is never the normalised one's.
    const decoded = entry === 0 ? { ...normalized } : entry;
    const v: ValidatedEntry = { entry: decoded, file: path, format, pos: unpack(pos), fieldPositions, normalized };
    if (normalizedFor !== 0) v.normalizedFor = normalizedFor;
    entries.push(v);
  }
  return entries;
}

/** Whether JSON gives `v` back exactly: plain objects and arrays of strings, booleans, null and finite numbers other than -0. */
function jsonExact(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonExact(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const keys = Object.keys(v);
      if (Object.getOwnPropertyNames(v).length !== keys.length) return false;
      for (const k of keys) if (!jsonExact((v as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}
