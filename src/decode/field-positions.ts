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

/**
 * Field path (`Sources[1].Action`) → position, in the order decoding met them. Read as any
 * ReadonlyMap of positions: `get` and iteration unpack each position when asked.
 */
export class FieldPositions implements ReadonlyMap<string, SourcePosition> {
  readonly #packed = new Map<string, number | SourcePosition>();
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
    this.#packed.set(path, pack(pos));
    return this;
  }

  get(path: string): SourcePosition | undefined {
    const v = this.#packed.get(path);
    return v === undefined ? undefined : unpack(v);
  }

  has(path: string): boolean {
    return this.#packed.has(path);
  }

  get size(): number {
    return this.#packed.size;
  }

  keys(): MapIterator<string> {
    return this.#packed.keys();
  }

  *values(): MapIterator<SourcePosition> {
    for (const v of this.#packed.values()) yield unpack(v);
  }

  *entries(): MapIterator<[string, SourcePosition]> {
    for (const [k, v] of this.#packed) yield [k, unpack(v)];
  }

  [Symbol.iterator](): MapIterator<[string, SourcePosition]> {
    return this.entries();
  }

  forEach(fn: (value: SourcePosition, key: string, map: ReadonlyMap<string, SourcePosition>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.#packed) fn.call(thisArg, unpack(v), k, this);
  }
}
