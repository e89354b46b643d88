// A PUT body's raw tree by the engine's own JSON.parse, for the bodies where that tree is exactly
// what the field decoder's JSON reader (formats/json.ts, without positions) would build: the dev
// server decodes every write's body, and the reader's character-by-character scan was the largest
// part of a write's decode (and its strings, slices of the body, kept the whole body alive in the
// store). Anything JSON.parse could read differently takes the reader instead: see plainJsonTree.
import type { SourcePosition } from '../model/errors.ts';
import type { RawNode, RawObjectEntry } from '../formats/raw.ts';

/** Every node's position: the reader without positions gives each value and key line 0, column 0. */
const NO_POSITION: SourcePosition = Object.freeze({ line: 0, column: 0 });

/** The reader refuses a value nested deeper than this (its `nesting too deep`). */
const MAX_DEPTH = 500;

/**
 * The reader's tree of `text`, or undefined when this path cannot vouch for it (the caller then
 * runs the reader, which also words any syntax error). JSON.parse reads the same grammar as the
 * reader, but its result loses what the reader keeps, so the tree is built only when none of that
 * can have happened:
 * - a number's exact text (the reader keeps it for 64-bit integers and Go's texts): any number falls back;
 * - a duplicate key (the reader keeps both; JSON.parse keeps the last value at the first key's
 *   place): with no `\u` escape in the text, every `"` of the text is a string's delimiter or an
 *   escaped `\"` inside one, so the text holds exactly as many `"` as the tree's keys and strings
 *   account for only when no key was dropped;
 * - key order (JavaScript lists integer-like keys first): any key starting with a digit falls back;
 * - nesting past 500 (the reader refuses it): falls back.
 */
export function plainJsonTree(text: string): RawNode | undefined {
  if (text.includes('\\u')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const walk = { quotes: 0 };
  const tree = node(parsed, 0, walk);
  return tree && walk.quotes === quotesIn(text) ? tree : undefined;
}

/** How many `"` a string holds. */
function quotesIn(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** The `"` a string takes in the text: its two delimiters and one escaped `\"` per quote inside it. */
function stringQuotes(s: string): number {
  return s.includes('"') ? 2 + quotesIn(s) : 2;
}

/** The reader's node of a parsed value, or undefined (the tree may differ from the reader's: the caller falls back). */
function node(value: unknown, depth: number, walk: { quotes: number }): RawNode | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof value === 'string') {
    walk.quotes += stringQuotes(value);
    return { type: 'string', value, pos: NO_POSITION };
  }
  if (typeof value === 'boolean') return { type: 'bool', value, pos: NO_POSITION };
  if (value === null) return { type: 'null', pos: NO_POSITION };
  if (Array.isArray(value)) {
    const items: RawNode[] = [];
    for (const item of value as unknown[]) {
      const n = node(item, depth + 1, walk);
      if (!n) return undefined;
      items.push(n);
    }
    return { type: 'list', items, pos: NO_POSITION };
  }
  if (typeof value === 'object') {
    const entries: RawObjectEntry[] = [];
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const c = key.charCodeAt(0);
      if (c >= 48 && c <= 57) return undefined;
      walk.quotes += stringQuotes(key);
      const n = node(record[key], depth + 1, walk);
      if (!n) return undefined;
      entries.push({ key, keyPos: NO_POSITION, value: n });
    }
    return { type: 'object', entries, pos: NO_POSITION };
  }
  // A number: its text is not kept by JSON.parse.
  return undefined;
}
