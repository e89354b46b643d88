// The shape every file format parses into before schema-aware decoding: a tree of values that
// remembers where each value and key came from, so decode and validation errors can point at a line.
import type { SourcePosition } from '../model/errors.ts';

export type RawNode = RawObject | RawList | RawScalar;

export interface RawObject {
  type: 'object';
  /** Keys in source order. Duplicates are kept: HCL1 concatenates repeated blocks and lets the last scalar win. */
  entries: RawObjectEntry[];
  pos: SourcePosition;
}

export interface RawObjectEntry {
  key: string;
  keyPos: SourcePosition;
  value: RawNode;
}

export interface RawList {
  type: 'list';
  items: RawNode[];
  pos: SourcePosition;
  /** True when HCL produced this list from a block (`x { }`) rather than a literal `[...]`. */
  fromBlock?: boolean;
}

export type RawScalar =
  | { type: 'string'; value: string; pos: SourcePosition }
  | { type: 'number'; value: number; pos: SourcePosition; /** exact text, for 64-bit integers */ text: string }
  | { type: 'bool'; value: boolean; pos: SourcePosition }
  | { type: 'null'; pos: SourcePosition };

/** A parse failure: the file could not be read as its format at all. */
export interface SyntaxProblem {
  message: string;
  pos: SourcePosition;
  hint?: string;
}

export type ParseResult = { ok: true; documents: RawNode[] } | { ok: false; problems: SyntaxProblem[] };
