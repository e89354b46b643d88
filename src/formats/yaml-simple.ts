// A fast reader for the plain YAML that config-entry files and CRDs are almost always written in:
// block maps and sequences, plain words, integers, booleans, null, and quoted strings without
// escapes. Anything else (flow collections, block scalars, anchors, aliases, tags, escapes, floats,
// comments after a value, tabs, duplicate keys, odd indentation) answers `undefined`, and the caller
// reads the file with the `yaml` library, which also produces every error message. The answer, when
// there is one, is exactly the library path's (test/unit/formats/yaml-simple.property.test.ts).
//
// Why: the library builds a full document model with a generator-based lexer, about 100 µs of CPU
// for a ten-line router; a 10,000-file Kubernetes repository spent most of its parse time there.
import type { SourcePosition } from '../model/errors.ts';
import type { ParseResult, RawNode, RawObjectEntry } from './raw.ts';
import { ConsulGitopsError } from '../errors.ts';

/** Deeper than any real entry; deeper documents go to the library, which bounds nesting itself. */
const MAX_SIMPLE_DEPTH = 64;
const INT64_MAX = 2n ** 63n - 1n;
/** Keys of one map checked for duplicates by a scan; a longer map gets a Set. */
const LINEAR_KEYS = 16;

interface Line {
  /** 1-based line number. */
  line: number;
  /** Spaces before the content. */
  indent: number;
  /** The line without its indentation and trailing spaces. */
  text: string;
}

class NotSimple extends ConsulGitopsError {
  constructor() {
    super('internal', 'not plain YAML');
  }
}
const notSimple = new NotSimple();

// A key is a plain word; a value starts with a letter, `_` or `/` (never a YAML indicator, digit or
// sign) and holds no `#`, quote or indicator that could change its meaning.
const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:@+=$()%, -]*$/;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const DOUBLE_QUOTED = /^"[^"\\]*"$/;
const SINGLE_QUOTED = /^'[^']*'$/;
// YAML 1.2 core schema, as the library resolves plain scalars.
const NULLS = new Set(['null', 'Null', 'NULL', '~']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);

/** The documents of `text` when it is plain YAML as described above; `undefined` otherwise. */
export function parseSimpleYaml(text: string): ParseResult | undefined {
  // Printable ASCII and newlines only: no tabs, CR, BOM or characters whose width or class varies.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c > 0x7e) return undefined;
  }
  const documents: RawNode[] = [];
  let current: Line[] = [];
  // Lines are found by index, not split and trimmed into copies; after the check above, a space is
  // the only blank character a line can hold.
  for (let start = 0, line = 1; start <= text.length; line++) {
    const from = start;
    let end = text.indexOf('\n', from);
    if (end < 0) end = text.length;
    start = end + 1;
    while (end > from && text.charCodeAt(end - 1) === 32) end--;
    let body = from;
    while (body < end && text.charCodeAt(body) === 32) body++;
    if (body === end || text.charCodeAt(body) === 35 /* # */) continue;
    // `---` alone, unindented, ends a document.
    if (end - from === 3 && text.startsWith('---', from)) {
      const doc = documentOf(current);
      if (doc === null) return undefined;
      if (doc) documents.push(doc);
      current = [];
      continue;
    }
    // Directives, document ends and markers followed by content are for the library.
    if (text.charCodeAt(from) === 37 /* % */ || text.startsWith('...', from) || text.startsWith('--- ', from)) return undefined;
    current.push({ line, indent: body - from, text: text.slice(body, end) });
  }
  const last = documentOf(current);
  if (last === null) return undefined;
  if (last) documents.push(last);
  return { ok: true, documents };
}

/** A document's root map; `undefined` for an empty document, `null` when it is not simple. */
function documentOf(lines: Line[]): RawNode | undefined | null {
  if (lines.length === 0) return undefined;
  const reader = new Reader(lines);
  try {
    if (lines[0].indent !== 0 || isSeqItem(lines[0].text)) return null;
    const root = reader.map(0, 0);
    if (!reader.done()) return null;
    return root;
  } catch (e) {
    if (e === notSimple) return null;
    throw e;
  }
}

const isSeqItem = (text: string) => text === '-' || text.startsWith('- ');
const pos = (line: number, column: number): SourcePosition => ({ line, column });

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.i >= this.lines.length;
  }

  private peek(): Line | undefined {
    return this.lines[this.i];
  }

  /** A block map whose keys sit at column `indent` (0-based). */
  map(indent: number, depth: number): RawNode {
    if (depth > MAX_SIMPLE_DEPTH) throw notSimple;
    const entries: RawObjectEntry[] = [];
    // Duplicate keys are found by scanning the few keys so far; a Set per map was most of what
    // this reader allocated (bench/read-parse.bench.ts), and is made only for a long map.
    let keys: Set<string> | undefined;
    const first = this.peek()!;
    const mapPos = pos(first.line, indent + 1);
    for (let l = this.peek(); l && l.indent >= indent; l = this.peek()) {
      const text = l.text;
      if (l.indent > indent || isSeqItem(text)) throw notSimple;
      const colon = text.indexOf(':');
      if (colon <= 0) throw notSimple;
      const key = text.slice(0, colon);
      // A key spelled like null or a boolean is resolved by the library (`True:` becomes "true").
      if (!KEY.test(key) || NULLS.has(key) || TRUES.has(key) || FALSES.has(key)) throw notSimple;
      if (keys) {
        if (keys.has(key)) throw notSimple;
        keys.add(key);
      } else {
        for (let k = 0; k < entries.length; k++) if (entries[k].key === key) throw notSimple;
        if (entries.length === LINEAR_KEYS) keys = new Set([...entries.map((e) => e.key), key]);
      }
      const keyPos = pos(l.line, indent + 1);
      this.i++;
      let v = colon + 1;
      if (v === text.length) {
        entries.push({ key, keyPos, value: this.nested(indent, depth) });
        continue;
      }
      if (text.charCodeAt(v) !== 32) throw notSimple;
      // The line has no trailing spaces, so a value follows the spaces after the colon.
      while (text.charCodeAt(v) === 32) v++;
      entries.push({ key, keyPos, value: scalar(text.slice(v), pos(l.line, indent + v + 1)) });
    }
    return { type: 'object', entries, pos: mapPos };
  }

  /** The block under `key:` at `indent`: deeper lines, or a sequence written at the key's own indent. */
  private nested(indent: number, depth: number): RawNode {
    const next = this.peek();
    // `key:` with nothing under it is null in YAML; where the library places that null is its business.
    if (!next) throw notSimple;
    if (next.indent > indent) return isSeqItem(next.text) ? this.seq(next.indent, depth + 1) : this.map(next.indent, depth + 1);
    if (next.indent === indent && isSeqItem(next.text)) return this.seq(indent, depth + 1);
    throw notSimple;
  }

  /** A block sequence whose dashes sit at column `indent`. */
  private seq(indent: number, depth: number): RawNode {
    if (depth > MAX_SIMPLE_DEPTH) throw notSimple;
    const items: RawNode[] = [];
    const seqPos = pos(this.peek()!.line, indent + 1);
    for (let l = this.peek(); l && l.indent >= indent; l = this.peek()) {
      if (l.indent > indent || !isSeqItem(l.text)) {
        // A map key after a compact sequence ends the sequence (the parent map goes on); anything else is odd.
        if (l.indent === indent) break;
        throw notSimple;
      }
      const rest = l.text === '-' ? '' : l.text.slice(2);
      if (rest === '' || rest.startsWith(' ') || isSeqItem(rest)) throw notSimple;
      const column = indent + 2;
      if (isMapLine(rest)) {
        // `- Key: value`: the item is a map whose keys sit where this first key starts.
        this.lines[this.i] = { line: l.line, indent: column, text: rest };
        items.push(this.map(column, depth + 1));
      } else {
        this.i++;
        items.push(scalar(rest, pos(l.line, column + 1)));
      }
    }
    return { type: 'list', items, pos: seqPos };
  }
}

function isMapLine(text: string): boolean {
  const colon = text.indexOf(':');
  // Any `word:` shape goes to map(), which decides whether it is simple; a scalar item never has one.
  return colon > 0 && (colon === text.length - 1 || text[colon + 1] === ' ');
}

function scalar(text: string, at: SourcePosition): RawNode {
  // The first character picks the one pattern that can match: a plain value never starts with a
  // quote, a digit or `-`, and a quoted or integer value never starts with anything else.
  const c = text.charCodeAt(0);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    if (!(c === 34 ? DOUBLE_QUOTED : SINGLE_QUOTED).test(text)) throw notSimple;
    return { type: 'string', value: text.slice(1, -1), pos: at };
  }
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
    if (!INTEGER.test(text)) throw notSimple;
    const big = BigInt(text);
    if (big > INT64_MAX || big < -INT64_MAX - 1n) throw notSimple;
    return { type: 'number', value: Number(big), text: big.toString(), pos: at };
  }
  if (!PLAIN.test(text) || text.includes(': ') || text.endsWith(':')) throw notSimple;
  if (NULLS.has(text)) return { type: 'null', pos: at };
  if (TRUES.has(text)) return { type: 'bool', value: true, pos: at };
  if (FALSES.has(text)) return { type: 'bool', value: false, pos: at };
  return { type: 'string', value: text, pos: at };
}
