// Where each decoded field of one entry was written, kept for the life of a plan: one small integer
// per field rather than a { line, column } object, since a decoded tree of 10,000 entries holds
// about 60,000 of them and they were most of what it kept alive (bench/read-parse.bench.ts).
import type { SourcePosition } from '../model/errors.ts';

/**
 * Packed as line × COLUMNS + column, a small integer (V8 stores it in the map itself, not as an
 * object) whenever line < 2^19 and column < COLUMNS; any other position is kept as given.
 */
const COLUMNS = 2048;
const MAX_PACKED_LINE = 2 ** 19;

const pack = (p: SourcePosition): number | SourcePosition =>
  p.line >= 0 && p.line < MAX_PACKED_LINE && p.column >= 0 && p.column < COLUMNS && Number.isInteger(p.line) && Number.isInteger(p.column)
    ? p.line * COLUMNS + p.column
    : p;

const unpack = (v: number | SourcePosition): SourcePosition => (typeof v === 'number' ? { line: Math.floor(v / COLUMNS), column: v % COLUMNS } : v);

/** Paths kept in the array before a Map takes over (see FieldPositions). */
const SMALL = 16;

/**
 * Field path (`Sources[1].Action`) → position, in the order decoding met them. Read as any
 * ReadonlyMap of positions: `get` and iteration unpack each position when asked.
 *
 * Most entries have a handful of fields: up to SMALL paths are one array of path, position pairs
 * searched in order (the paths are shared strings, field-paths.ts, so a hit is one pointer
 * comparison), and only a larger entry gets a Map. A Map per entry, its table grown twice on the
 * way to ten paths, was a tenth of what decoding a tree allocated and a good part of what every
 * collection then copied.
 */
export class FieldPositions implements ReadonlyMap<string, SourcePosition> {
  /** path, packed position, path, packed position, …: until the Map. */
  #pairs: (string | number | SourcePosition)[] = [];
  #map: Map<string, number | SourcePosition> | undefined;
  #everyValueKept = true;

  /**
   * True while the decoder kept a value for every path it recorded, and no map key it recorded
   * holds '.' or '[' (so each path names exactly one place in the entry). Then the entry holds a
   * value at every path here and the file wrote no zero the decoder dropped: the planner's
   * explicitZeros (core/plan/file-zeros.ts) has nothing to find and skips resolving every path
   * of every entry (a tenth of a no-op plan's own time at 10,000 entries, before).
   */
  get everyValueKept(): boolean {
    return this.#everyValueKept;
  }

  /** The decoder dropped a value it recorded a path for (a zero), or recorded an ambiguous map key. */
  notEveryValueKept(): void {
    this.#everyValueKept = false;
  }

  set(path: string, pos: SourcePosition): this {
    const v = pack(pos);
    if (this.#map) {
      this.#map.set(path, v);
      return this;
    }
    const pairs = this.#pairs;
    const at = this.#indexOf(path);
    if (at >= 0) pairs[at + 1] = v;
    else if (pairs.length < 2 * SMALL) pairs.push(path, v);
    else {
      // In insertion order, as the Map would have had them all along.
      const map = new Map<string, number | SourcePosition>();
      for (let i = 0; i < pairs.length; i += 2) map.set(pairs[i] as string, pairs[i + 1] as number | SourcePosition);
      map.set(path, v);
      this.#map = map;
      this.#pairs = [];
    }
    return this;
  }

  /** The index of the path's pair, -1 when absent (strings compare as Map keys do, by `===`). */
  #indexOf(path: string): number {
    const pairs = this.#pairs;
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === path) return i;
    return -1;
  }

  #packedAt(path: string): number | SourcePosition | undefined {
    if (this.#map) return this.#map.get(path);
    const at = this.#indexOf(path);
    return at < 0 ? undefined : (this.#pairs[at + 1] as number | SourcePosition);
  }

  get(path: string): SourcePosition | undefined {
    const v = this.#packedAt(path);
    return v === undefined ? undefined : unpack(v);
  }

  has(path: string): boolean {
    return this.#map ? this.#map.has(path) : this.#indexOf(path) >= 0;
  }

  get size(): number {
    return this.#map ? this.#map.size : this.#pairs.length / 2;
  }

  *keys(): MapIterator<string> {
    if (this.#map) yield* this.#map.keys();
    else for (let i = 0; i < this.#pairs.length; i += 2) yield this.#pairs[i] as string;
  }

  *values(): MapIterator<SourcePosition> {
    for (const [, v] of this.entries()) yield v;
  }

  *entries(): MapIterator<[string, SourcePosition]> {
    if (this.#map) for (const [k, v] of this.#map) yield [k, unpack(v)];
    else for (let i = 0; i < this.#pairs.length; i += 2) yield [this.#pairs[i] as string, unpack(this.#pairs[i + 1] as number | SourcePosition)];
  }

  /**
   * Every path with its position as stored (line × 2048 + column, or the position as given): path,
   * position, path, position, … in a fresh array. For the CLI's entry cache, which stores them so,
   * without a position object made and taken apart again per path.
   */
  packedPairs(): (string | number | SourcePosition)[] {
    if (!this.#map) return this.#pairs.slice();
    const out: (string | number | SourcePosition)[] = [];
    for (const [k, v] of this.#map) out.push(k, v);
    return out;
  }

  [Symbol.iterator](): MapIterator<[string, SourcePosition]> {
    return this.entries();
  }

  forEach(fn: (value: SourcePosition, key: string, map: ReadonlyMap<string, SourcePosition>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}
