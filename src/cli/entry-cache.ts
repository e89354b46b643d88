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
import { codeCacheDir, readKeyed, sha256, trustedDir, writeAtomically } from './code-cache.ts';

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

/** The running bundle's SHA-256, when it is known (plan-cache.ts is keyed by it too). */
export function runningBuildHash(): Buffer | undefined {
  return buildHash;
}

export interface EntryCache {
  /** The cache for a render with these options (`scope`: everything besides a file that shapes its entries). */
  scoped(scope: string): ValidatedFiles;
  /**
   * Writes the cache when this run parsed a file it did not hold, or no longer saw one it held. The
   * files parsed this time are serialised here, not when remembered: plan calls it once its output
   * is printed, so that work (a tenth of a first run at 10,000 files) never delays the plan.
   */
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
  let lines: Lines | undefined;
  let used: string[] = [];
  /** Files parsed this time whose entries validated cleanly: serialised by save(). */
  let parsed: { key: string; path: string; entries: readonly ValidatedEntry[] }[] = [];
  const missed = new Map<SourceFile, string>();
  let dirty = false;
  let key: Buffer | undefined;
  return {
    scoped(scope) {
      key = sha256(`${process.version}\0${process.arch}\0${scope}\0`, build);
      lines = readLines(file, key, cacheDir, uid);
      used = [];
      parsed = [];
      dirty = false;
      return {
        lookup(source) {
          const k = keyOf(source);
          let line = lines!.byKey.get(k);
          // The payload's hash is checked at the first line used: after every file changed none is,
          // and the file is never hashed. One that fails it is none of ours: every line a miss.
          if (line !== undefined && !lines!.intact()) {
            lines!.byKey.clear();
            line = undefined;
          }
          if (line === undefined) {
            // Kept for remember: hashing each new file once, not twice.
            missed.set(source, k);
            return undefined;
          }
          const entries = entriesOf(line, source.path);
          if (entries) used.push(line);
          else dirty = true;
          return entries;
        },
        remember(source, entries) {
          parsed.push({ key: missed.get(source) ?? keyOf(source), path: source.path, entries: entries as readonly ValidatedEntry[] });
        },
      };
    },
    save() {
      if (!key || !lines) return;
      for (const p of parsed) {
        const json = recordOf(p.entries, p.path);
        if (json === undefined) continue;
        used.push(`${p.key} ${json}`);
        dirty = true;
      }
      parsed = [];
      // A file gone or changed since leaves its line unused: written again without it.
      if (!dirty && used.length === lines.byKey.size) return;
      const data = Buffer.from(used.join('\n'), 'utf8');
      writeAtomically(cacheDir, file, [MAGIC, Buffer.from([1]), key, sha256(data), data], uid);
    },
  };
}

/** The cache's lines by file key; `intact()`: the payload's hash holds (checked once, when a line is first used). */
interface Lines {
  byKey: Map<string, string>;
  intact(): boolean;
}

function readLines(file: string, key: Buffer, dir: string, uid: number): Lines {
  const byKey = new Map<string, string>();
  const found = trustedDir(dir, uid) ? readKeyed(file, key, uid, MAGIC, MAX_FILE_BYTES) : undefined;
  if (!found) return { byKey, intact: () => true };
  for (const line of found.data.toString('utf8').split('\n')) if (line.length > KEY_CHARS) byKey.set(line.slice(0, KEY_CHARS), line);
  return { byKey, intact: () => found.intact() };
}

/** The file's key: its path and text, which alone (with the scope) decide what it gives. */
function keyOf(file: SourceFile): string {
  return hash('sha256', `${file.path}\0${file.text}`, 'base64');
}

/**
 * One file's entries, as stored: per entry [decoded entry, or 0 when it is the normalised entry
 * field for field; normalised entry; format; position; 1 when every decoded value was kept;
 * normalizedFor, or 0], then a tab and, per entry, its field paths and positions alternating. A
 * position is packed as field-positions.ts packs it (line × 2048 + column), or [line, column].
 * The positions are parsed only when asked for (LazyFieldPositions): a plan that writes nothing
 * never asks, and they are half of what the cache holds. JSON text holds no raw tab.
 */
type EntryRecord = [ApiEntry | 0, ApiEntry, FileFormat, PackedPosition, 0 | 1, string | 0];
type PackedPosition = number | [number, number];

const pack = (p: SourcePosition): PackedPosition =>
  p.line >= 0 && p.line < 2 ** 19 && p.column >= 0 && p.column < 2048 && Number.isInteger(p.line) && Number.isInteger(p.column)
    ? p.line * 2048 + p.column
    : [p.line, p.column];

const unpack = (v: PackedPosition): SourcePosition => (typeof v === 'number' ? { line: Math.floor(v / 2048), column: v % 2048 } : { line: v[0], column: v[1] });

function recordOf(entries: readonly ValidatedEntry[], path: string): string | undefined {
  const records: string[] = [];
  const positions: (string | PackedPosition)[][] = [];
  for (const e of entries) {
    if (e.file !== path || !(e.fieldPositions instanceof FieldPositions) || !jsonExact(e.entry) || !jsonExactBeside(e.normalized, e.entry)) return undefined;
    // Packed as field-positions.ts packs them (the same line × 2048 + column): taken as they are stored.
    const these = e.fieldPositions.packedPairs() as (string | PackedPosition | SourcePosition)[];
    for (let i = 1; i < these.length; i += 2) {
      const p = these[i];
      if (typeof p === 'object' && !Array.isArray(p)) these[i] = pack(p);
    }
    positions.push(these as (string | PackedPosition)[]);
    const normalized = JSON.stringify(e.normalized);
    // Most entries normalise to a copy of their top level (normalize.ts shares what it does not
    // change): the same keys in the same order holding the same values write the same JSON, which is
    // then not made a second time to be compared.
    const entry = sameTopLevel(e.entry, e.normalized) ? normalized : JSON.stringify(e.entry);
    const rest = [e.format, pack(e.pos), e.fieldPositions.everyValueKept ? 1 : 0, e.normalizedFor ?? 0];
    records.push(`[${entry === normalized ? '0' : entry},${normalized},${JSON.stringify(rest).slice(1)}`);
  }
  return `[${records.join(',')}]\t${JSON.stringify(positions)}`;
}

/** The entries of a line, built as the decoder and validation build them; undefined when the line is not one of ours. */
function entriesOf(line: string, path: string): ValidatedEntry[] | undefined {
  const tab = line.indexOf('\t', KEY_CHARS + 1);
  let records: EntryRecord[];
  try {
    records = JSON.parse(line.slice(KEY_CHARS + 1, tab)) as EntryRecord[];
  } catch {
    return undefined;
  }
  if (tab < 0 || !Array.isArray(records)) return undefined;
  const positions: FilePositions = { text: line.slice(tab + 1) };
  const entries: ValidatedEntry[] = [];
  for (let i = 0; i < records.length; i++) {
    const [entry, normalized, format, pos, kept, normalizedFor] = records[i];
    // Two objects, as normalising makes a copy: the decoded entry's top level is never the normalised one's.
    const decoded = entry === 0 ? { ...normalized } : entry;
    const v: ValidatedEntry = {
      entry: decoded,
      file: path,
      format,
      pos: unpack(pos),
      fieldPositions: new LazyFieldPositions(positions, i, kept === 1),
      normalized,
    };
    if (normalizedFor !== 0) v.normalizedFor = normalizedFor;
    entries.push(v);
  }
  return entries;
}

/** One cached file's field positions, every entry's, parsed on the first entry's first question. */
interface FilePositions {
  text: string;
  parsed?: (string | PackedPosition)[][];
}

/**
 * A FieldPositions whose paths and positions are read from the cache only when first asked for:
 * whether every value was kept (what a no-op plan asks, file-zeros.ts) is known without them.
 */
class LazyFieldPositions extends FieldPositions {
  #file: FilePositions | undefined;
  readonly #index: number;

  constructor(file: FilePositions, index: number, everyValueKept: boolean) {
    super();
    this.#file = file;
    this.#index = index;
    if (!everyValueKept) this.notEveryValueKept();
  }

  #fill(): void {
    const file = this.#file;
    if (!file) return;
    this.#file = undefined;
    let parsed: (string | PackedPosition)[][];
    try {
      parsed = file.parsed ??= JSON.parse(file.text) as (string | PackedPosition)[][];
    } catch {
      // Intact by its hash (code-cache.ts readTrusted), so written by us: not reached.
      return;
    }
    const pairs = parsed[this.#index] ?? [];
    for (let i = 0; i < pairs.length; i += 2) super.set(pairs[i] as string, unpack(pairs[i + 1] as PackedPosition));
  }

  override set(path: string, pos: SourcePosition): this {
    this.#fill();
    return super.set(path, pos);
  }

  override get(path: string): SourcePosition | undefined {
    this.#fill();
    return super.get(path);
  }

  override has(path: string): boolean {
    this.#fill();
    return super.has(path);
  }

  override get size(): number {
    this.#fill();
    return super.size;
  }

  override *keys(): MapIterator<string> {
    this.#fill();
    yield* super.keys();
  }

  override packedPairs(): (string | number | SourcePosition)[] {
    this.#fill();
    return super.packedPairs();
  }

  override *entries(): MapIterator<[string, SourcePosition]> {
    this.#fill();
    yield* super.entries();
  }
}

/** Whether `a` and `b` have the same own enumerable keys in the same order, each holding the very same value. */
function sameTopLevel(a: ApiEntry, b: ApiEntry): boolean {
  if (a === b) return true;
  let n = 0;
  const keys: string[] = [];
  for (const k in a) if (Object.hasOwn(a, k)) keys.push(k);
  for (const k in b) {
    if (!Object.hasOwn(b, k)) continue;
    if (keys[n] !== k || !Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    n++;
  }
  return n === keys.length;
}

/**
 * jsonExact(v), where `v` is the normalised form of `beside`, already found exact: normalize.ts
 * shares every part it does not change, and a part shared under the same key is not walked again.
 */
function jsonExactBeside(v: unknown, beside: unknown): boolean {
  if (Object.is(v, beside)) return true;
  if (typeof v !== 'object' || v === null || typeof beside !== 'object' || beside === null || Array.isArray(v) || Array.isArray(beside)) return jsonExact(v);
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  const keys = Object.keys(v);
  if (Object.getOwnPropertyNames(v).length !== keys.length) return false;
  for (const k of keys) {
    const value = (v as Record<string, unknown>)[k];
    // Only an own data property of `beside` is known exact (jsonExact read it as such).
    if (Object.hasOwn(beside, k) && Object.is(value, (beside as Record<string, unknown>)[k])) continue;
    if (!jsonExact(value)) return false;
  }
  return true;
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
