// Sets one field in a JSON entry file by splicing its text: the value is replaced in place; an
// absent member is added after the object's last member, with that member's indentation.
import type { RawNode, RawObject } from '../../formats/raw.ts';
import { parseJson } from '../../formats/json.ts';
import { findFieldKey, keyStyleOf, spellKey, type KeyStyle } from './field-keys.ts';
import { literal, noEdit, type EditOutcome, type FieldSet } from './edit-outcome.ts';
import { bareTokenEnd, doubleQuotedEnd, indentAt, lineEndingOf, offsetOf, startsLine } from './source-text.ts';

export function editJson(text: string, set: FieldSet): EditOutcome {
  const parsed = parseJson(text);
  if (!parsed.ok || parsed.documents[0]?.type !== 'object') return noEdit('the file is not a JSON object');
  const root = parsed.documents[0];
  return setIn(text, root, set.path, set.value, keyStyleOf(root.entries.map((e) => e.key)));
}

/** End offset of the JSON value starting at `start`. */
export function jsonValueEnd(text: string, start: number): number | undefined {
  const c = text[start];
  if (c === '"') return doubleQuotedEnd(text, start);
  if (c !== '{' && c !== '[') return bareTokenEnd(text, start);
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const d = text[i];
    if (d === '"') {
      const end = doubleQuotedEnd(text, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (d === '{' || d === '[') depth++;
    else if ((d === '}' || d === ']') && --depth === 0) return i + 1;
  }
  return undefined;
}

function setIn(text: string, obj: RawObject, path: readonly string[], value: string | boolean, style: KeyStyle): EditOutcome {
  const [field, ...rest] = path;
  const i = findFieldKey(
    obj.entries.map((e) => e.key),
    field,
  );
  if (i >= 0) {
    const node: RawNode = obj.entries[i].value;
    if (rest.length) {
      if (node.type !== 'object') return noEdit(`${field} is not an object in the file`);
      return setIn(text, node, rest, value, style);
    }
    const start = offsetOf(text, node.pos, 'utf16');
    const end = start === undefined ? undefined : jsonValueEnd(text, start);
    if (start === undefined || end === undefined || (node.type !== 'string' && node.type !== 'bool'))
      return noEdit(`${field} is not a plain value in the file`);
    return { ok: true, edit: { start, end, replacement: literal(value) } };
  }
  return insertMember(text, obj, path, value, style);
}

function memberText(path: readonly string[], value: string | boolean, style: KeyStyle, indent: string, unit: string, eol: string): string {
  const key = JSON.stringify(spellKey(path[0], style));
  if (path.length === 1) return `${key}: ${literal(value)}`;
  const inner = memberText(path.slice(1), value, style, indent + unit, unit, eol);
  return eol ? `${key}: {${eol}${indent}${unit}${inner}${eol}${indent}}` : `${key}: { ${inner} }`;
}

function insertMember(text: string, obj: RawObject, path: readonly string[], value: string | boolean, style: KeyStyle): EditOutcome {
  const open = offsetOf(text, obj.pos, 'utf16');
  if (open === undefined || text[open] !== '{') return noEdit('cannot find the object in the file');
  const eol = lineEndingOf(text);
  const unit = /\n\t/.test(text) ? '\t' : ' '.repeat(minIndent(text));
  const last = obj.entries[obj.entries.length - 1];
  if (!last) {
    const close = jsonValueEnd(text, open)! - 1;
    return { ok: true, edit: { start: open + 1, end: close, replacement: ` ${memberText(path, value, style, '', '', '')} ` } };
  }
  const keyAt = offsetOf(text, last.keyPos, 'utf16')!;
  const valueAt = offsetOf(text, last.value.pos, 'utf16');
  const end = valueAt === undefined ? undefined : jsonValueEnd(text, valueAt);
  if (end === undefined) return noEdit('cannot find the end of the object in the file');
  if (!startsLine(text, keyAt)) return { ok: true, edit: { start: end, end, replacement: `, ${memberText(path, value, style, '', '', '')}` } };
  const indent = indentAt(text, keyAt);
  return { ok: true, edit: { start: end, end, replacement: `,${eol}${indent}${memberText(path, value, style, indent, unit, eol)}` } };
}

/** The smallest indentation of an indented line: the file's indentation unit. */
function minIndent(text: string): number {
  let min = Infinity;
  for (const m of text.matchAll(/\n( +)\S/g)) min = Math.min(min, m[1].length);
  return min === Infinity ? 2 : min;
}
