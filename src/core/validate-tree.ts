// validate: the checks Consul's server makes on each entry and across entries, run on the whole
// desired tree before anything is written, with Consul's own messages.
import { configEntryError, type ConfigEntryError } from '../model/errors.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { entryIdOf, entryKey, formatEntryId } from '../model/entry-id.ts';
import { positionOf, type DecodedEntry } from '../decode/entry-source.ts';
import type { ReuseRecord } from './parse-files.ts';
import { normalizeEntry } from './normalize.ts';
import { entryProblems, withGivenBlocks, type EntryContext } from './entry-rules.ts';
import { graphProblems } from './graph-rules.ts';
import { formatVersion, type ConsulVersion } from '../model/consul-versions.ts';

export interface ValidatedEntry extends DecodedEntry {
  normalized: ApiEntry;
  /** The Consul version whose Normalize rules `normalized` follows (absent: the newest modelled); the planner reuses it for that version. */
  normalizedFor?: string;
}

export interface TreeValidation {
  entries: ValidatedEntry[];
  /** Per-entry server checks and duplicate definitions. */
  errors: ConfigEntryError[];
  /** Cross-entry rules judged on the tree alone (the planner judges them again against live state). */
  graphErrors: ConfigEntryError[];
}

/**
 * `options.partition`: the target's partition, when known (plan, apply); `validate` alone knows none.
 * `options.consul`: the target's Consul version, when the caller plans for one: entries are normalised as
 * that server will (as Consul's own write path runs Normalize before Validate), once for the checks
 * and the plan. Absent: the newest modelled, as `render` and `validate` show it.
 * `options.treeGraph` false: the cross-entry rules are left to the caller (a plan judges the final state).
 */
export function validateEntries(
  decoded: readonly DecodedEntry[],
  options: EntryContext & { consul?: ConsulVersion; treeGraph?: boolean; enterpriseOf?: (file: string) => boolean } = {},
  reused?: ReuseRecord,
): TreeValidation {
  const { consul, treeGraph = true, enterpriseOf, ...context } = options;
  const enterpriseContext = { ...context, enterprise: true as const };
  const errors: ConfigEntryError[] = [];
  const graphErrors: ConfigEntryError[] = [];
  const normalizedFor = consul ? formatVersion(consul) : undefined;
  // An entry the cache gave was normalised and checked alone by a run with these same options; the
  // duplicates below (and the caller's cross-entry rules) are judged over every entry each time.
  const known = reused?.entries ?? [];
  const entries: ValidatedEntry[] = decoded.map((d, i) =>
    known[i] === 1 ? (d as ValidatedEntry) : validated(d, normalizeEntry(d.entry, consul), normalizedFor),
  );
  const byKey = new Map<string, ValidatedEntry>();
  for (let i = 0; i < entries.length; i++) {
    const v = entries[i];
    if (known[i] !== 1) {
      for (const p of entryProblems(withGivenBlocks(v.normalized, v.fieldPositions), enterpriseOf?.(v.file) ? enterpriseContext : context))
        errors.push(configEntryError('validate', v.file, positionOf(v, p.field), p.field, p.message));
      const unaddressable = unaddressableName(v.normalized);
      if (unaddressable) errors.push(configEntryError('validate', v.file, positionOf(v, 'Name'), 'Name', unaddressable));
    }
    const id = entryIdOf(v.normalized);
    const key = entryKey(id);
    const first = byKey.get(key);
    if (first) {
      const where = first.file === v.file ? `earlier in ${first.file}:${first.pos.line}` : `in ${first.file}:${first.pos.line}`;
      errors.push(
        configEntryError(
          'graph',
          v.file,
          v.pos,
          'Name',
          `${formatEntryId(id)} is defined twice: here and ${where}`,
          'keep one definition; names are case-insensitive in Consul',
        ),
      );
    } else byKey.set(key, v);
  }
  if (reused) rememberClean(reused, entries, errors);
  if (!treeGraph) return { entries, errors, graphErrors };
  const unique = [...byKey.values()];
  for (const p of graphProblems(
    unique.map((v) => v.normalized),
    { treeOnly: true },
  )) {
    const v = unique[p.entryIndex];
    graphErrors.push(configEntryError('graph', v.file, positionOf(v, p.field), p.field, p.message, p.hint));
  }
  return { entries, errors, graphErrors };
}

/** Hands the cache each file parsed this time that decoded cleanly and none of whose entries has an error. */
function rememberClean(reused: ReuseRecord, entries: readonly ValidatedEntry[], errors: readonly ConfigEntryError[]): void {
  const failed = new Set(errors.map((e) => e.file));
  for (const p of reused.parsed)
    if (p.clean && p.count > 0 && !failed.has(p.file.path)) reused.cache.remember(p.file, entries.slice(p.first, p.first + p.count));
}

/**
 * The decoded entry with its normalised form, as `{ ...d, normalized, normalizedFor }` made it (same
 * keys, same order; no `normalizedFor` key without a version), built as a literal: the spread of a
 * decoded entry plus two more keys took the slow copy path, about a quarter of validation's own
 * time at 10,000 entries. DecodedEntry's fields are the decoder's (decode-entry.ts), all of them here.
 */
function validated(d: DecodedEntry, normalized: ApiEntry, normalizedFor: string | undefined): ValidatedEntry {
  if (normalizedFor === undefined) return { entry: d.entry, file: d.file, format: d.format, pos: d.pos, fieldPositions: d.fieldPositions, normalized };
  return { entry: d.entry, file: d.file, format: d.format, pos: d.pos, fieldPositions: d.fieldPositions, normalized, normalizedFor };
}

/**
 * consul-gitops' own rule, not Consul's: Consul stores an entry named "." or "..", but
 * /v1/config/<kind>/<name> can never name it (HTTP clients and Go's ServeMux resolve dot segments),
 * so it could be written once and then never read or deleted by name (prune would fail for ever).
 */
function unaddressableName(entry: ApiEntry): string | undefined {
  const name = entry.Name;
  if (name === '.' || name === '..')
    return `the name "${name}" cannot be used in Consul's HTTP API path /v1/config/${entry.Kind}/<name>: the entry could never be read or deleted by name`;
  return undefined;
}
