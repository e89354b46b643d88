// Sets one field in one document of a YAML file (plain entry or CRD) by splicing its text with the
// `yaml` library's exact source ranges: the scalar is replaced keeping its quote style; an absent
// key is added as a line after the mapping's last key, at that key's indentation.
import { isMap, isScalar, parseAllDocuments, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { findFieldKey, keyStyleOf, spellKey, type KeyStyle } from './field-keys.ts';
import { literal, noEdit, type EditOutcome, type FieldSet } from './edit-outcome.ts';
import { afterLine, indentAt, lineEndingOf } from './source-text.ts';

/** `documentIndex` counts the documents the reader keeps (empty ones are skipped, as src/formats/yaml.ts does). */
export function editYaml(text: string, documentIndex: number, set: FieldSet, crd: boolean): EditOutcome {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = (Array.isArray(docs) ? docs : [docs]).filter((d) => !(d.contents == null || (isScalar(d.contents) && d.contents.value == null)));
  const doc = list[documentIndex];
  if (!doc || !isMap(doc.contents)) return noEdit('cannot find the document in the file');
  const root = doc.contents as YAMLMap;
  const style: KeyStyle = crd ? 'crd' : keyStyleOf(root.items.map(keyOf));
  const path = crd ? ['spec', ...set.path] : set.path;
  return setIn(text, root, path, set.value, style, root.range![2]);
}

function keyOf(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : '';
}

function setIn(text: string, map: YAMLMap, path: readonly string[], value: string | boolean, style: KeyStyle, docEnd: number): EditOutcome {
  const [field, ...rest] = path;
  const i = findFieldKey(map.items.map(keyOf), field);
  if (i >= 0) {
    const node = map.items[i].value as Node | null;
    if (rest.length) {
      if (!isMap(node)) return noEdit(`${field} is not a mapping in the file`);
      return setIn(text, node, rest, value, style, docEnd);
    }
    if (!isScalar(node) || !node.range) return noEdit(`${field} is not a plain value in the file (an alias or a nested value)`);
    const quote = node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : node.type === Scalar.PLAIN ? '' : undefined;
    if (quote === undefined) return noEdit(`${field} is written as a block scalar; edit it by hand`);
    const start = node.range[0];
    const end = node.range[1];
    return { ok: true, edit: { start, end, replacement: typeof value === 'boolean' ? String(value) : literal(value, quote) } };
  }
  return insertKey(text, map, path, value, style, docEnd);
}

function keyLines(path: readonly string[], value: string | boolean, style: KeyStyle, indent: string, unit: string, eol: string): string {
  const key = spellKey(path[0], style);
  if (path.length === 1) return `${indent}${key}: ${typeof value === 'boolean' ? String(value) : value}${eol}`;
  return `${indent}${key}:${eol}${keyLines(path.slice(1), value, style, indent + unit, unit, eol)}`;
}

function insertKey(text: string, map: YAMLMap, path: readonly string[], value: string | boolean, style: KeyStyle, docEnd: number): EditOutcome {
  if (map.flow) return noEdit('the mapping is written in flow style ({...}); edit it by hand');
  const eol = lineEndingOf(text);
  const unit = ' '.repeat(indentUnit(text));
  const last = map.items[map.items.length - 1];
  const lastNode = (last?.value ?? last?.key) as Node | null | undefined;
  const firstKey = map.items[0]?.key as Node | undefined;
  if (!lastNode?.range || !firstKey?.range) return noEdit('the mapping is empty; edit it by hand');
  let end = Math.min(lastNode.range[1], docEnd);
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const at = afterLine(text, end);
  const sep = at === text.length && !text.endsWith('\n') ? eol : '';
  return { ok: true, edit: { start: at, end: at, replacement: sep + keyLines(path, value, style, indentAt(text, firstKey.range[0]), unit, eol) } };
}

/** The smallest indentation of an indented key line: the file's indentation unit (2 when none). */
function indentUnit(text: string): number {
  let min = Infinity;
  for (const m of text.matchAll(/\n( +)[^\s#-]/g)) min = Math.min(min, m[1].length);
  return min === Infinity ? 2 : min;
}
