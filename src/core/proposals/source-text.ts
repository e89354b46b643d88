// Byte-exact text surgery for proposals: turn a reader's line/column into an offset, find the end
// of a scalar token, and splice, so an edit changes the value and not one byte around it.
import type { SourcePosition } from '../../model/errors.ts';

/** HCL columns count Unicode code points; the JSON and YAML readers count UTF-16 units. */
export type ColumnUnit = 'code-point' | 'utf16';

export interface TextEdit {
  /** Offsets in the text the positions refer to. */
  start: number;
  end: number;
  replacement: string;
}

export function lineEndingOf(text: string): '\r\n' | '\n' {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** Offset of a 1-based line/column, or undefined when the position lies outside the text. */
export function offsetOf(text: string, pos: SourcePosition, unit: ColumnUnit): number | undefined {
  let i = 0;
  for (let line = 1; line < pos.line; line++) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return undefined;
    i = nl + 1;
  }
  if (unit === 'utf16') {
    const o = i + pos.column - 1;
    return o <= text.length ? o : undefined;
  }
  for (let c = 1; c < pos.column; c++) {
    if (i >= text.length) return undefined;
    const code = text.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
  }
  return i;
}

/** The end offset of a double-quoted string starting at `start` (backslash escapes), or undefined. */
export function doubleQuotedEnd(text: string, start: number): number | undefined {
  if (text[start] !== '"') return undefined;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return undefined;
  }
  return undefined;
}

/** The end offset of a YAML single-quoted scalar (`''` escapes a quote), or undefined. */
export function singleQuotedEnd(text: string, start: number): number | undefined {
  if (text[start] !== "'") return undefined;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") i++;
      else return i + 1;
    } else if (text[i] === '\n') return undefined;
  }
  return undefined;
}

/** The end of a bare token (YAML plain scalar, JSON/HCL literal): up to space, comment, comma, bracket or line end. */
export function bareTokenEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !/[\s,\]}#]/.test(text[i])) i++;
  return i;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  return out;
}

/** The leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Offset just after the line ending of the line holding `offset` (end of text when it is the last line). */
export function afterLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}
