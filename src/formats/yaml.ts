// YAML files (plain entries or Kubernetes CRDs, one or more documents) read into the raw tree,
// with positions taken from the `yaml` library's source ranges.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { SourcePosition } from '../model/errors.ts';
import type { ParseResult, RawNode, RawObjectEntry } from './raw.ts';

export function parseYaml(text: string): ParseResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, intAsBigInt: true, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number | undefined): SourcePosition => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  const list = Array.isArray(docs) ? docs : [docs];
  const problems = list.flatMap((d) =>
    d.errors.map((e) => ({ message: e.message.split('\n')[0]!, pos: at(e.pos[0]) })),
  );
  if (problems.length) return { ok: false, problems };
  const documents: RawNode[] = [];
  for (const d of list) {
    // An empty document (between two `---`, or a file of comments) holds no entry.
    if (d.contents == null || (isScalar(d.contents) && d.contents.value == null)) continue;
    documents.push(toRaw(d.contents as Node, at, 0));
  }
  return { ok: true, documents };
}

function toRaw(node: Node, at: (o: number | undefined) => SourcePosition, depth: number): RawNode {
  const pos = at(node.range?.[0]);
  if (depth > 500) return { type: 'null', pos };
  if (isAlias(node)) return { type: 'null', pos }; // anchors are not part of any config entry
  if (isMap(node)) {
    const entries: RawObjectEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
      const keyPos = keyNode ? at(keyNode.range?.[0]) : pos;
      const value = pair.value == null ? { type: 'null' as const, pos: keyPos } : toRaw(pair.value as Node, at, depth + 1);
      entries.push({ key, keyPos, value });
    }
    return { type: 'object', entries, pos };
  }
  if (isSeq(node)) return { type: 'list', items: node.items.map((i) => toRaw(i as Node, at, depth + 1)), pos };
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return { type: 'null', pos };
    if (typeof v === 'boolean') return { type: 'bool', value: v, pos };
    if (typeof v === 'bigint') return { type: 'number', value: Number(v), text: v.toString(), pos };
    if (typeof v === 'number') return { type: 'number', value: v, text: node.source ?? String(v), pos };
    return { type: 'string', value: String(v), pos };
  }
  return { type: 'null', pos };
}
