// YAML files (plain entries or Kubernetes CRDs, one or more documents) read into the raw tree,
// with positions taken from the `yaml` library's source ranges.
//
// Aliases (`*name`) are expanded to the anchored node, whose positions still point into the file;
// expansion is bounded (MAX_ALIAS_NODES) so an alias bomb fails at once. The merge key `<<` is
// applied as go-yaml applies it (kubectl and consul-k8s read CRDs with it). Duplicate keys in one map
// are errors: YAML requires unique keys, and Kubernetes (the only Consul path that reads YAML, via
// consul-k8s CRDs) rejects duplicate fields (kubectl's strict field validation; go-yaml v3
// "mapping key already defined").
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { SourcePosition } from '../model/errors.ts';
import { quoteToken } from '../model/errors.ts';
import type { ParseResult, RawNode, RawObjectEntry, SyntaxProblem } from './raw.ts';
import { parseSimpleYaml } from './yaml-simple.ts';
import { ConsulGitopsError } from '../errors.ts';
import { Buffer } from 'node:buffer';

/** Nodes that alias expansion may add to one file: far above any real entry, far below a billion laughs. */
export const MAX_ALIAS_NODES = 10_000;

const MAX_DEPTH = 500;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

class YamlProblem extends ConsulGitopsError {
  constructor(readonly problem: SyntaxProblem) {
    super('syntax', problem.message);
  }
}

interface Walk {
  at: (offset: number | undefined) => SourcePosition;
  /** Anchors defined so far, in document order: an alias refers to the last one before it. */
  anchors: Map<string, Node>;
  /** Nodes added by alias expansion so far. */
  expanded: number;
  /** Where the outermost alias being expanded is written: where an over-budget expansion is reported. */
  aliasPos?: SourcePosition;
  /** Anchored nodes being expanded: an alias inside its own anchor would never end. */
  active: Set<Node>;
  problems: SyntaxProblem[];
}

/**
 * The yaml package recurses per nesting level and reports an exhausted stack as a parse error:
 * tens of thousands of `[` get there before MAX_DEPTH can see the document. Said as what it is.
 */
function stackProblem(message: string): string {
  return /call stack size/i.test(message) ? `the document is nested too deeply (more than ${MAX_DEPTH} levels)` : message;
}

export function parseYaml(text: string): ParseResult {
  // Plain files (nearly all of them) take the fast reader; everything else, and every error, the library.
  return parseSimpleYaml(text) ?? parseYamlDocuments(text);
}

/** Any YAML, through the `yaml` library: the reference the fast reader is tested against. */
export function parseYamlDocuments(text: string): ParseResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, intAsBigInt: true, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number | undefined): SourcePosition => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  const list = Array.isArray(docs) ? docs : [docs];
  const problems = list.flatMap((d) => d.errors.map((e) => ({ message: stackProblem(e.message.split('\n')[0]), pos: at(e.pos[0]) })));
  if (problems.length) return { ok: false, problems };
  const documents: RawNode[] = [];
  const walk: Walk = { at, anchors: new Map(), expanded: 0, active: new Set(), problems: [] };
  try {
    for (const d of list) {
      walk.anchors.clear(); // anchors are scoped to their document
      // An empty document (between two `---`, or a file of comments) holds no entry.
      if (d.contents == null || (isScalar(d.contents) && d.contents.value == null)) continue;
      documents.push(toRaw(d.contents, walk, 0, false));
    }
  } catch (e) {
    if (e instanceof YamlProblem) return { ok: false, problems: [...walk.problems, e.problem] };
    throw e;
  }
  if (walk.problems.length) return { ok: false, problems: walk.problems };
  return { ok: true, documents };
}

function toRaw(node: Node, walk: Walk, depth: number, expanding: boolean): RawNode {
  const pos = walk.at(node.range?.[0]);
  if (depth > MAX_DEPTH) throw new YamlProblem({ message: 'the document is nested too deeply', pos });
  if (expanding && ++walk.expanded > MAX_ALIAS_NODES)
    throw new YamlProblem({
      message: `aliases expand to more than ${MAX_ALIAS_NODES} nodes (an alias bomb?)`,
      pos: walk.aliasPos ?? pos,
      hint: 'write the values out instead of nesting aliases',
    });
  if (isAlias(node)) return expandAlias(node.source, pos, walk, depth);
  // Only anchors met in document order are registered; the copies an alias expands are not new anchors.
  if (!expanding && node.anchor) walk.anchors.set(node.anchor, node);
  if (isMap(node)) {
    const entries: RawObjectEntry[] = [];
    const seen = new Map<string, SourcePosition>();
    const merged: RawObjectEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<') {
        merged.push(...mergedEntries(pair.value as Node | null, walk.at(keyNode.range?.[0]), walk, depth, expanding));
        continue;
      }
      const keyRaw = keyNode ? toRaw(keyNode, walk, depth + 1, expanding) : undefined;
      const key =
        keyRaw === undefined
          ? ''
          : keyRaw.type === 'string'
            ? keyRaw.value
            : keyRaw.type === 'number'
              ? keyRaw.text
              : keyRaw.type === 'bool'
                ? String(keyRaw.value)
                : keyRaw.type === 'null'
                  ? ''
                  : '';
      if (keyRaw && (keyRaw.type === 'object' || keyRaw.type === 'list'))
        walk.problems.push({ message: 'a map key must be a plain value, not a map or list', pos: keyRaw.pos });
      const keyPos = keyNode ? walk.at(keyNode.range?.[0]) : pos;
      const first = seen.get(key);
      if (first && !expanding)
        walk.problems.push({
          message: `duplicate key ${quoteToken(key)}: already defined at line ${first.line}, column ${first.column}`,
          pos: keyPos,
          hint: 'YAML keys must be unique, and Kubernetes refuses duplicate fields; keep one',
        });
      else seen.set(key, keyPos);
      const value = pair.value == null ? { type: 'null' as const, pos: keyPos } : toRaw(pair.value as Node, walk, depth + 1, expanding);
      entries.push({ key, keyPos, value });
    }
    // A key written in the map wins over a merged one, and an earlier merged map over a later one.
    for (const e of merged)
      if (!seen.has(e.key)) {
        seen.set(e.key, e.keyPos);
        entries.push(e);
      }
    return { type: 'object', entries, pos };
  }
  if (isSeq(node)) {
    // `!!omap` and `!!pairs` make a sequence of key-value pairs, which no JSON value is.
    if (node.items.some((i) => isPair(i))) throw unsupportedTag(node.tag, pos);
    return { type: 'list', items: node.items.map((i) => toRaw(i as Node, walk, depth + 1, expanding)), pos };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return { type: 'null', pos };
    if (typeof v === 'boolean') return { type: 'bool', value: v, pos };
    // Numbers follow what Consul's decoders accept (see formats/json.ts): 64-bit integers, finite floats.
    if (typeof v === 'bigint') {
      if (v > INT64_MAX || v < INT64_MIN) throw new YamlProblem({ message: `strconv.ParseInt: parsing ${quoteToken(v.toString())}: value out of range`, pos });
      return { type: 'number', value: Number(v), text: v.toString(), pos };
    }
    if (typeof v === 'number') {
      const text = node.source ?? String(v);
      if (Number.isNaN(v))
        throw new YamlProblem({ message: `${quoteToken(text)} is not a number: Consul's API is JSON, which has no NaN`, pos, hint: 'quote it if it is text' });
      if (!Number.isFinite(v))
        throw new YamlProblem({
          message: /^[-+]?\./.test(text)
            ? `${quoteToken(text)} is infinite: Consul's API is JSON, which has no infinity`
            : `strconv.ParseFloat: parsing ${quoteToken(text)}: value out of range`,
          pos,
          hint: 'quote it if it is text',
        });
      return { type: 'number', value: v, text, pos };
    }
    if (typeof v === 'string') return { type: 'string', value: v, pos };
    // go-yaml (what consul-k8s reads CRDs with) gives a `!!binary` value as the decoded bytes, as text.
    if (v instanceof Uint8Array) return { type: 'string', value: Buffer.from(v).toString('utf8'), pos };
  }
  // Anything else a tag makes (a `!!timestamp` Date, the pairs of `!!omap` and `!!pairs`) has no
  // JSON form Consul would agree on: said, rather than written as JSON of a JavaScript object or as null.
  throw unsupportedTag((node as { tag?: unknown }).tag, pos);
}

function unsupportedTag(tag: unknown, pos: SourcePosition): YamlProblem {
  return new YamlProblem({
    message: `${typeof tag === 'string' ? `a value tagged ${quoteToken(shortTag(tag))}` : 'this value'} cannot be a config entry's value`,
    pos,
    hint: 'write it as a plain string, number, boolean, list or map',
  });
}

/** `tag:yaml.org,2002:timestamp` as written: `!!timestamp`. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/**
 * `<<: *base` (or `<<: [*a, *b]`, or an inline map): the merge key of YAML 1.1, which go-yaml and so
 * kubectl and consul-k8s apply to CRDs. The entries of the map(s) it names, in order.
 */
function mergedEntries(value: Node | null, at: SourcePosition, walk: Walk, depth: number, expanding: boolean): RawObjectEntry[] {
  const raw = value == null ? undefined : toRaw(value, walk, depth + 1, expanding);
  const maps = raw?.type === 'object' ? [raw] : raw?.type === 'list' && raw.items.every((i) => i.type === 'object') ? raw.items : undefined;
  if (!maps) throw new YamlProblem({ message: 'a merge key "<<" takes a map or a list of maps', pos: raw?.pos ?? at, hint: 'write <<: *anchor, naming a map' });
  return maps.flatMap((m) => (m.type === 'object' ? m.entries : []));
}

/** `*name` → a copy of the anchored node, with the anchor's positions (where the value is written). */
function expandAlias(name: string, pos: SourcePosition, walk: Walk, depth: number): RawNode {
  const target = walk.anchors.get(name);
  if (!target) throw new YamlProblem({ message: `unknown alias ${quoteToken(`*${name}`)}: no anchor &${name} before it`, pos });
  if (walk.active.has(target)) throw new YamlProblem({ message: `alias ${quoteToken(`*${name}`)} refers to a node that contains it`, pos });
  const outermost = walk.active.size === 0;
  if (outermost) walk.aliasPos = pos;
  walk.active.add(target);
  try {
    return toRaw(target, walk, depth + 1, true);
  } finally {
    walk.active.delete(target);
    if (outermost) delete walk.aliasPos;
  }
}
