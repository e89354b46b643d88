// A change's attributes as a tree, element by element, the way `terraform plan` shows a resource:
// what a create sets (as the file says it), what a delete removes, what an update changes.
// Text, Markdown and `plan --json` all read this one tree.
import { cloneData } from '../clone-data.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { kindDefinition } from '../../model/registry.ts';
import { stringifyApiJson } from '../api-json.ts';
import { normalizeEntry, isZero } from '../normalize.ts';
import type { ConsulVersion } from '../../model/consul-versions.ts';
import { canonicalNestedTenancy, parseTargetConsul } from '../../model/tenancy.ts';
import { OWNER_KEY, SOURCE_KEY, withoutOwnership } from './ownership.ts';
import type { Change } from './plan.ts';
import { withExplicitZeros } from './file-zeros.ts';
import { redact } from './sensitive.ts';
import { ownValue, setOwn } from '../../model/own-key.ts';
import { pointerFieldPatterns } from '../../model/pointer-fields.ts';
import { inUserMap } from './user-map-paths.ts';

/**
 * - `add` / `remove`: a whole value set or taken away (shown nested, every line marked).
 * - `change`: a value replaced by another (scalars, or a value of another type).
 * - `keep`: an unchanged value shown to say which list element changed (its `Name`).
 * - `nest`: an object or list that stays, with changes inside; `hidden` counts what is unchanged.
 * `key` is a field or map key; absent for a list element.
 */
export type AttributeNode =
  | { op: 'add' | 'remove'; key?: string; value: unknown }
  | { op: 'change'; key?: string; before: unknown; after: unknown }
  | { op: 'keep'; key: string; value: unknown }
  | { op: 'nest'; key?: string; list: boolean; children: AttributeNode[]; hidden: number; positional?: Positional };

/**
 * An unnamed list whose differing middle was too long to match element by element (LIST_CELL_BUDGET):
 * its elements were compared position by position, `before` and `after` elements of it.
 */
export interface Positional {
  before: number;
  after: number;
}

export interface Attributes {
  nodes: AttributeNode[];
  /** Top-level attributes an update leaves as they are. */
  hidden: number;
}

const NONE: Attributes = { nodes: [], hidden: 0 };

/** The attribute tree of one change of a plan; private keys hidden (sensitive.ts). */
export function changeAttributes(c: Change): Attributes {
  const { nodes, hidden } = attributesOf(c);
  return { nodes: redact(nodes), hidden };
}

function attributesOf(c: Change): Attributes {
  switch (c.action) {
    case 'create':
      // What the file says: no defaults or server-computed fields (intention Precedence, Type).
      return { nodes: entryFields(withExplicitZeros(c.after!, c.explicitZeros)).map(([key, value]) => ({ op: 'add', key, value })), hidden: 0 };
    case 'delete':
      return c.before ? { nodes: entryFields(c.before).map(([key, value]) => ({ op: 'remove', key, value })), hidden: 0 } : NONE;
    case 'update': {
      // An entry consul-gitops does not own is compared without anyone's ownership markers (plan.ts).
      const strip = (e: ApiEntry) => (c.requiresAdopt ? withoutOwnership(e) : e);
      const after = c.after!;
      const written = withExplicitZeros(after, c.explicitZeros);
      // As the target's Consul will store it: `before` was normalised for the same version (plan.ts).
      const consul = parseTargetConsul(c.consulVersion);
      return diffEntry(
        after.Kind,
        strip(c.before ?? ({} as ApiEntry)),
        strip(canonicalNestedTenancy(normalizeEntry(after, consul), consul)),
        strip(shapedEntry(written, consul)),
        // Read only for a value added or removed whole: most updates change values in place.
        lazyPaths(() => serverFilledPaths(written)),
      );
    }
    case 'skip':
      // An entry another controller owns: the plan keeps only its field differences.
      // Its pointer fields and user maps read as in an update: absent is unset there, not `0`.
      return { nodes: c.fieldDiffs.map((d) => leafChange(d.path, d.before, d.after, undefined, d.path, NO_PATHS, unsetWhenAbsent(c.id.kind))), hidden: 0 };
    case 'noop':
      return NONE;
  }
}

/** Top-level fields worth a line: not the kind (the heading names it), not the ownership marker. */
function entryFields(entry: ApiEntry): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'Kind' || v === undefined) continue;
    if (k === 'Meta' && v && typeof v === 'object') {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => mk !== OWNER_KEY && mk !== SOURCE_KEY));
      if (Object.keys(meta).length) out.push([k, meta]);
      continue;
    }
    out.push([k, v]);
  }
  return out;
}

/** The kind's own normalisation (sorting, computed fields) without dropping zero values: paths match normalizeEntry's. */
function shapedEntry(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const def = kindDefinition(entry.Kind);
  return def?.normalize ? def.normalize(cloneData(entry), consul) : cloneData(entry);
}

/** `Sources[3].Precedence` → `Sources[].Precedence`: a field's place in the schema. */
const pattern = (path: string) => path.replace(/\[\d+\]/g, '[]');

function collectPaths(value: unknown, path: string, out: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => collectPaths(v, `${path}[]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      out.add(p);
      collectPaths(v, p, out);
    }
  return out;
}

/** What `without` reads of a set of paths. */
type PathSet = Pick<ReadonlySet<string>, 'size' | 'has'>;
const NO_PATHS: PathSet = new Set<string>();

/** A set of paths made on first use: serverFilledPaths normalises and walks the entry twice. */
function lazyPaths(make: () => ReadonlySet<string>): PathSet {
  let made: ReadonlySet<string> | undefined;
  return {
    get size() {
      return (made ??= make()).size;
    },
    has: (p: string) => (made ??= make()).has(p),
  };
}

/**
 * Fields the normalisation fills in that the file never writes (intention `Precedence` and
 * `Type`, defaults): Consul computes them, so an added element does not show them as the user's.
 */
function serverFilledPaths(entry: ApiEntry): ReadonlySet<string> {
  const written = collectPaths(entry, '', new Set());
  const filled = new Set<string>();
  for (const p of collectPaths(shapedEntry(entry), '', new Set())) if (!written.has(p)) filled.add(p);
  return filled;
}

function without(value: unknown, path: string, filled: PathSet): unknown {
  if (filled.size === 0) return value;
  if (Array.isArray(value)) return value.map((v) => without(v, `${path}[]`, filled));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (!filled.has(p)) setOwn(out, k, without(v, p, filled));
    }
    return out;
  }
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** JSON with keys sorted and 64-bit integers as digits: equal values, equal text, whatever the key order. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canon(v[k])}`)
      .join(',')}}`;
  return v === undefined ? 'undefined' : stringifyApiJson(v, 0);
}
/**
 * `canon(a) === canon(b)`, walked side by side without building either text: asked at every level
 * of an update's diff, the texts made each field's JSON once per level above it (a third of the
 * rendering of 10,000 updates). Containers never equal scalars (`[`/`{` begin no scalar's text).
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    // The same keys with a value (canon leaves out undefined ones), each value the same.
    let n = 0;
    for (const k in a) {
      if (!Object.hasOwn(a, k) || a[k] === undefined) continue;
      if (!Object.hasOwn(b, k) || !same(a[k], b[k])) return false;
      n++;
    }
    for (const k in b) if (Object.hasOwn(b, k) && b[k] !== undefined) n--;
    return n === 0;
  }
  if (Array.isArray(b) || isObject(b)) return false;
  // Two strings' texts differ when they do; otherwise as canon spells them (1 and 1n, NaN and null).
  if (typeof a === 'string' && typeof b === 'string') return false;
  return canon(a) === canon(b);
}

/** What an absent scalar means to Consul, where it reads better than "absent": false, 0. */
function zeroLike(of: unknown): unknown {
  if (typeof of === 'boolean') return false;
  if (typeof of === 'number') return 0;
  if (typeof of === 'bigint') return 0n;
  return undefined;
}

function at(value: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(value) ? value[key] : undefined;
  return isObject(value) ? ownValue(value, key) : undefined;
}

function diffEntry(kind: string, before: ApiEntry, after: ApiEntry, shaped: ApiEntry, filled: PathSet): Attributes {
  const b = { ...before } as Record<string, unknown>;
  const a = { ...after } as Record<string, unknown>;
  delete b.Kind;
  delete a.Kind;
  const { children, hidden } = diffObject(b, a, shaped, '', filled, unsetWhenAbsent(kind));
  return { nodes: children, hidden };
}

/**
 * The field patterns where an absent value is unset rather than the zero Consul reads: the kind's Go
 * pointer fields (src/model/pointer-fields.ts), and anything in a user's map (user-map-paths.ts), where
 * a key someone added with 0 or false by hand showed as `0 → 0`, a change that read as none.
 */
type UnsetWhenAbsent = Pick<ReadonlySet<string>, 'has' | 'size'>;

const NO_UNSET: UnsetWhenAbsent = new Set<string>();

function unsetWhenAbsent(kind: string): UnsetWhenAbsent {
  const pointers = pointerFieldPatterns(kind);
  // `size` only says whether to ask: a kind without a pointer field may still have a map.
  return { size: 1, has: (p) => pointers.has(p) || inUserMap(kind, p) };
}

/** `pointers`: where an absent value is unset rather than zero (UnsetWhenAbsent). */
function diffObject(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  shaped: unknown,
  path: string,
  filled: PathSet,
  pointers: UnsetWhenAbsent,
) {
  const children: AttributeNode[] = [];
  let hidden = 0;
  // Own keys only: a user's map may hold `__proto__` or `constructor` on one side and not the other.
  const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !Object.hasOwn(after, k))];
  for (const k of keys) {
    const was = ownValue(before, k);
    const node = diffValue(k, was, ownValue(after, k), at(shaped, k), path ? `${path}.${k}` : k, filled, pointers);
    if (node) children.push(node);
    else if (was !== undefined && !isMarker(path, k, was)) hidden++;
  }
  return { children, hidden };
}

/** consul-gitops' own ownership marker: not one of the user's attributes, so not counted as hidden. */
function isMarker(path: string, key: string, value: unknown): boolean {
  const markerKey = (k: string) => k === OWNER_KEY || k === SOURCE_KEY;
  if (path === 'Meta') return markerKey(key);
  return path === '' && key === 'Meta' && isObject(value) && Object.keys(value).every(markerKey);
}

/** One key's difference, or undefined when it is the same on both sides. `shaped` is the file's value with zeros kept. */
function diffValue(
  key: string | undefined,
  before: unknown,
  after: unknown,
  shaped: unknown,
  path: string,
  filled: PathSet,
  pointers: UnsetWhenAbsent,
): AttributeNode | undefined {
  if (same(before, after)) return undefined;
  const k = key === undefined ? {} : { key };
  if (isObject(before) && isObject(after)) {
    const { children, hidden } = diffObject(before, after, shaped, path, filled, pointers);
    if (!children.length) return undefined;
    // A list element says which one it is, as Terraform keeps an element's identifying attribute.
    if (key === undefined && typeof before.Name === 'string' && before.Name === after.Name)
      return { op: 'nest', list: false, children: [{ op: 'keep', key: 'Name', value: before.Name }, ...children], hidden: hidden - 1 };
    return { op: 'nest', ...k, list: false, children, hidden };
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const node = diffList(k, before, after, shaped, path, filled, pointers);
    return node.children.length ? node : undefined;
  }
  return leafChange(key, before, after, shaped, path, filled, pointers);
}

function leafChange(
  key: string | undefined,
  before: unknown,
  after: unknown,
  shaped: unknown,
  path = '',
  filled: PathSet = NO_PATHS,
  pointers: UnsetWhenAbsent = NO_UNSET,
): AttributeNode {
  const k = key === undefined ? {} : { key };
  const scalar = (v: unknown) => v !== undefined && (v === null || typeof v !== 'object');
  // A Go pointer field absent is unset, not its zero (`EnforcingConsecutive5xx = 0` differs from none).
  const pointer = pointers.size > 0 && pointers.has(pattern(path));
  if (before === undefined) {
    // Consul reads an absent flag as false and an absent number as 0: say so rather than "added".
    const zero = pointer ? undefined : zeroLike(after);
    return zero !== undefined ? { op: 'change', ...k, before: zero, after } : { op: 'add', ...k, value: without(after, pattern(path), filled) };
  }
  if (after === undefined && isObject(before)) {
    // An object the file empties: its flags go to false and its numbers to 0, as Consul reads them.
    const { children, hidden } = diffObject(before, {}, shaped, path, filled, pointers);
    if (children.some((n) => n.op !== 'remove')) return { op: 'nest', ...k, list: false, children, hidden };
  }
  if (after === undefined) {
    // The file may say `false`, `0` or `""` on purpose: show it; else what Consul will read.
    const shown = pointer ? undefined : shaped !== undefined && isZero(shaped) && scalar(before) ? shaped : zeroLike(before);
    return shown !== undefined ? { op: 'change', ...k, before, after: shown } : { op: 'remove', ...k, value: without(before, pattern(path), filled) };
  }
  return { op: 'change', ...k, before, after };
}

/**
 * The most pairs of elements an unnamed list's changed middle is matched over (its longest common
 * subsequence table has one cell per pair): 2,000 changed elements against 2,000. Above it the middle
 * is compared position by position, and the plan says so (attribute-lines.ts).
 */
export const LIST_CELL_BUDGET = 4_000_000;

/**
 * Lists of one length are compared element by element (as the plan's diff does); otherwise the
 * elements both sides share (longest common subsequence) stay, the others are removed or added.
 * An element replaced by one of another `Name` counts as removed and added.
 *
 * The common ends are not put in the table (a router with 5,000 routes and one added built 25
 * million cells): the walk keeps a common prefix anyway (equal elements are kept first), and a
 * common suffix adds its length to every cell of the middle, so the walk decides alike inside it.
 * Once one side's middle is done, the full table's cells are known without it: the rest of that side
 * is the suffix, which the other side's rest holds in order, so the walk keeps an element equal to
 * the suffix's next one and adds (or removes) any other (pinned by test/unit/plan/list-diff-ties.test.ts).
 */
function diffList(
  k: { key?: string },
  before: unknown[],
  after: unknown[],
  shaped: unknown,
  path: string,
  filled: PathSet,
  pointers: UnsetWhenAbsent,
): AttributeNode & { op: 'nest' } {
  const children: AttributeNode[] = [];
  let hidden = 0;
  // Elements named differently (intention sources, routes' services) are different elements, not one renamed.
  const renamed = before.some((b, i) => isObject(b) && isObject(after[i]) && b.Name !== undefined && after[i].Name !== b.Name);
  if (before.length === after.length && !renamed) {
    before.forEach((b, i) => {
      const node = diffValue(undefined, b, after[i], at(shaped, i), `${path}[${i}]`, filled, pointers);
      if (node) children.push(node);
      else hidden++;
    });
    return { op: 'nest', ...k, list: true, children, hidden };
  }
  if (renamed || before.length !== after.length) {
    const named = (l: unknown[]) => l.every((e) => isObject(e) && typeof e.Name === 'string');
    if (named(before) && named(after)) {
      const node = diffByName(k, before as Record<string, unknown>[], after as Record<string, unknown>[], shaped, path, filled, pointers);
      // Paired by name, elements that only moved show nothing, and an update read as none
      // (a terminating gateway's Services reordered by hand): they are shown moving instead.
      if (node.children.length > 0) return node;
    }
  }
  const bt = before.map(canon);
  const at_ = after.map(canon);
  const p = pattern(`${path}[0]`);
  const add = (j: number) => children.push({ op: 'add', value: without(after[j], p, filled) });
  const remove = (i: number) => children.push({ op: 'remove', value: without(before[i], p, filled) });
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && bt[prefix] === at_[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && bt[before.length - 1 - suffix] === at_[after.length - 1 - suffix]) suffix++;
  hidden += prefix;
  // The middles: before[prefix, bEnd) and after[prefix, aEnd).
  const bEnd = before.length - suffix;
  const aEnd = after.length - suffix;
  const rows = bEnd - prefix;
  const cols = aEnd - prefix;
  if (rows * cols > LIST_CELL_BUDGET) {
    for (let x = 0; x < Math.min(rows, cols); x++) {
      const node = diffValue(undefined, before[prefix + x], after[prefix + x], at(shaped, prefix + x), `${path}[${prefix + x}]`, filled, pointers);
      if (node) children.push(node);
      else hidden++;
    }
    for (let j = prefix + rows; j < aEnd; j++) add(j);
    for (let i = prefix + cols; i < bEnd; i++) remove(i);
    return { op: 'nest', ...k, list: true, children, hidden: hidden + suffix, positional: { before: rows, after: cols } };
  }
  // lcs[r * (cols + 1) + c]: common length of the middles from before[prefix + r] and after[prefix + c],
  // the suffix's length left out (it is the same in every cell, so the walk compares alike).
  const width = cols + 1;
  const lcs = new Uint32Array((rows + 1) * width);
  for (let r = rows - 1; r >= 0; r--)
    for (let c = cols - 1; c >= 0; c--)
      lcs[r * width + c] = bt[prefix + r] === at_[prefix + c] ? lcs[(r + 1) * width + c + 1] + 1 : Math.max(lcs[(r + 1) * width + c], lcs[r * width + c + 1]);
  let i = prefix;
  let j = prefix;
  while (i < bEnd && j < aEnd) {
    if (bt[i] === at_[j]) {
      hidden++;
      i++;
      j++;
    } else if (lcs[(i - prefix) * width + j - prefix + 1] >= lcs[(i - prefix + 1) * width + j - prefix]) add(j++);
    else remove(i++);
  }
  // One middle is done: the rest of that side is the suffix, held in order by the other side's rest.
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && bt[i] === at_[j]) {
      hidden++;
      i++;
      j++;
    } else if (j < after.length && after.length - j > before.length - i) add(j++);
    else remove(i++);
  }
  return { op: 'nest', ...k, list: true, children, hidden };
}

/** Elements that carry a `Name` paired by it: changed in place, added, or removed (after the others). */
function diffByName(
  k: { key?: string },
  before: Record<string, unknown>[],
  after: Record<string, unknown>[],
  shaped: unknown,
  path: string,
  filled: PathSet,
  pointers: UnsetWhenAbsent,
): AttributeNode & { op: 'nest' } {
  const children: AttributeNode[] = [];
  let hidden = 0;
  const unused = new Set(before.keys());
  // The unused elements of each name, first first: one lookup per element of `after`, not a copy
  // and a scan of every unused one (an intention with 32,000 sources took 12 s to show).
  // Sources may share a Name (one per peer or namespace): each name's list is taken in order by a cursor.
  const byName = new Map<unknown, { at: number[]; next: number }>();
  before.forEach((b, i) => {
    const same = byName.get(b.Name);
    if (same) same.at.push(i);
    else byName.set(b.Name, { at: [i], next: 0 });
  });
  const p = pattern(`${path}[0]`);
  after.forEach((a, j) => {
    const same = byName.get(a.Name);
    const i = same && same.next < same.at.length ? same.at[same.next++] : undefined;
    if (i === undefined) {
      children.push({ op: 'add', value: without(a, p, filled) });
      return;
    }
    unused.delete(i);
    const node = diffValue(undefined, before[i], a, at(shaped, j), `${path}[${j}]`, filled, pointers);
    if (node) children.push(node);
    else hidden++;
  });
  for (const i of unused) children.push({ op: 'remove', value: without(before[i], p, filled) });
  return { op: 'nest', ...k, list: true, children, hidden };
}
