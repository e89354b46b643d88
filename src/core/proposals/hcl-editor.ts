// Sets one field in an HCL1 entry file by splicing its text: the value token is replaced in place;
// an absent key is added as a line in its block (or a new block), in the file's key spelling.
import type { RawNode, RawObject } from '../../formats/raw.ts';
import { Lexer, T, type Token } from '../../formats/hcl/lexer.ts';
import { parseHcl } from '../../formats/hcl/parse-hcl.ts';
import { findFieldKey, keyStyleOf, spellKey, type KeyStyle } from './field-keys.ts';
import { literal, noEdit, type EditOutcome, type FieldSet } from './edit-outcome.ts';
import { indentAt, lineEndingOf, offsetOf, startsLine } from './source-text.ts';

export function editHcl(text: string, set: FieldSet): EditOutcome {
  const parsed = parseHcl(text);
  if (!parsed.ok || parsed.documents[0]?.type !== 'object') return noEdit('the file is not valid HCL');
  const root = parsed.documents[0];
  const style = keyStyleOf(root.entries.map((e) => e.key));
  const tokens = lex(text);
  if (!tokens) return noEdit('the file is not valid HCL');
  return setIn(text, tokens, root, true, set.path, set.value, style);
}

interface Located {
  token: Token;
  start: number;
}

function lex(text: string): Located[] | undefined {
  try {
    const lx = new Lexer(text);
    const out: Located[] = [];
    for (let t = lx.next(); t.type !== T.EOF; t = lx.next()) out.push({ token: t, start: offsetOf(text, t, 'code-point')! });
    return out;
  } catch {
    return undefined;
  }
}

function tokenAt(tokens: readonly Located[], node: { line: number; column: number }): number {
  return tokens.findIndex((l) => l.token.line === node.line && l.token.column === node.column);
}

function setIn(
  text: string,
  tokens: Located[],
  obj: RawObject,
  isRoot: boolean,
  path: readonly string[],
  value: string | boolean,
  style: KeyStyle,
): EditOutcome {
  const [field, ...rest] = path;
  const i = findFieldKey(
    obj.entries.map((e) => e.key),
    field,
  );
  if (i >= 0) {
    const node: RawNode = obj.entries[i].value;
    if (rest.length) {
      if (node.type !== 'object') return noEdit(`${field} is not a block in the file`);
      return setIn(text, tokens, node, false, rest, value, style);
    }
    if (node.type !== 'string' && node.type !== 'bool') return noEdit(`${field} is not a plain value in the file`);
    const t = tokenAt(tokens, node.pos);
    const tok = tokens[t];
    if (!tok || tok.token.type === T.HEREDOC) return noEdit(`${field} is written as a heredoc; edit it by hand`);
    return { ok: true, edit: { start: tok.start, end: tok.start + tok.token.text.length, replacement: literal(value) } };
  }
  return insertInto(text, tokens, obj, isRoot, path, value, style);
}

/** The line(s) `Key = value` or `Key {\n  Inner = value\n}` at `indent`. */
function keyLines(path: readonly string[], value: string | boolean, style: KeyStyle, indent: string, unit: string, eol: string): string {
  const key = spellKey(path[0], style);
  if (path.length === 1) return `${indent}${key} = ${literal(value)}${eol}`;
  return `${indent}${key} {${eol}${keyLines(path.slice(1), value, style, indent + unit, unit, eol)}${indent}}${eol}`;
}

function insertInto(
  text: string,
  tokens: Located[],
  obj: RawObject,
  isRoot: boolean,
  path: readonly string[],
  value: string | boolean,
  style: KeyStyle,
): EditOutcome {
  const eol = lineEndingOf(text);
  const unit = /\n\t/.test(text) ? '\t' : '  ';
  if (isRoot) {
    const sep = text.length === 0 || text.endsWith('\n') ? '' : eol;
    return { ok: true, edit: { start: text.length, end: text.length, replacement: sep + keyLines(path, value, style, '', unit, eol) } };
  }
  const open = tokenAt(tokens, obj.pos);
  if (open < 0 || tokens[open].token.type !== T.LBRACE) return noEdit('cannot find the block in the file');
  let depth = 0;
  let close = -1;
  for (let k = open; k < tokens.length; k++) {
    const type = tokens[k].token.type;
    if (type === T.LBRACE) depth++;
    else if (type === T.RBRACE && --depth === 0) {
      close = k;
      break;
    }
  }
  if (close < 0) return noEdit('the block is not closed');
  const at = tokens[close].start;
  if (!startsLine(text, at)) {
    if (obj.entries.length) return noEdit('the block is written on one line; edit it by hand');
    const inner = keyLines(path, value, style, '', unit, '').trim();
    return { ok: true, edit: { start: tokens[open].start + 1, end: at, replacement: ` ${inner} ` } };
  }
  const first = obj.entries[0] ? offsetOf(text, obj.entries[0].keyPos, 'code-point') : undefined;
  const indent = first !== undefined && startsLine(text, first) ? indentAt(text, first) : indentAt(text, at) + unit;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return { ok: true, edit: { start: lineStart, end: lineStart, replacement: keyLines(path, value, style, indent, unit, eol) } };
}
