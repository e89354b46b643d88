// render: the use case behind `consul-gitops render` and `validate`: files → decoded (or normalised)
// entries sorted by kind, partition, namespace, name, plus every error of the tree.
import { compareErrors, configEntryError, type ConfigEntryError } from '../model/errors.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { compareEntryIds, entryIdOf } from '../model/entry-id.ts';
import { parseSourceFiles, type CrdNamespacesOf, type SourceFile, type ValidatedFiles } from './parse-files.ts';
import { validateEntries, type ValidatedEntry } from './validate-tree.ts';
import type { EntryContext } from './entry-rules.ts';
import type { ConsulVersion } from '../model/consul-versions.ts';

export interface RenderedTree {
  entries: ValidatedEntry[];
  /** Decode errors: what `consul config write` itself would refuse. */
  decodeErrors: ConfigEntryError[];
  /** Server-side checks of each entry, and duplicates: what Consul's server would refuse. */
  validationErrors: ConfigEntryError[];
  /** Cross-entry rules judged on the tree alone; the planner re-judges them against live state. */
  graphErrors: ConfigEntryError[];
  notices: string[];
  /** Accepted, as Consul accepts them, but printed: duplicate keys whose earlier value is dropped. */
  warnings: ConfigEntryError[];
}

/** The target the tree is written to, when known (plan, apply); `validate` alone knows none. */
export interface RenderOptions extends EntryContext {
  /** Normalise for this Consul version (a plan's target); absent: the newest modelled. */
  consul?: ConsulVersion;
  /**
   * false: skip the cross-entry rules on the tree alone (`graphErrors` stays empty). A plan judges
   * them against the mesh as it will be instead (make-plan.ts), so it need not judge them twice.
   */
  treeGraph?: boolean;
  /** Each file's target's `crdNamespaces`: the Consul namespace of its CRDs, as consul-k8s maps it. */
  crdNamespacesOf?: CrdNamespacesOf;
  /** Whether a file's target runs Consul Enterprise (`validate`; a plan knows its one target). */
  enterpriseOf?: (file: string) => boolean;
  /** Files validated cleanly before under these same options (the CLI's entry cache): not parsed again. */
  reuse?: ValidatedFiles;
}

export function renderTree(files: readonly SourceFile[], options: RenderOptions = {}): RenderedTree {
  const parsed = parseSourceFiles(files, options.crdNamespacesOf, options.reuse);
  const { entries, errors, graphErrors } = validateEntries(parsed.entries, options, parsed.reused);
  // Each entry's id made once, not twice per comparison (n log n of them at 50,000 entries), and
  // carried next to its entry rather than looked up in a map per comparison. The sort is stable, as before.
  const keyed = entries.map((e) => ({ e, id: entryIdOf(e.normalized) }));
  keyed.sort((a, b) => compareEntryIds(a.id, b.id));
  for (let i = 0; i < keyed.length; i++) entries[i] = keyed[i].e;
  return {
    entries,
    decodeErrors: parsed.errors.sort(compareErrors),
    validationErrors: errors.sort(compareErrors),
    graphErrors: graphErrors.sort(compareErrors),
    notices: parsed.notices,
    warnings: parsed.warnings.sort(compareErrors),
  };
}

/**
 * `validate` and `render` of paths that several targets hold: each target's files are one tree, as
 * that target's `plan` sees them, so the same entry in a staging and a prod dir is not "defined
 * twice" and cross-entry rules do not mix two Consuls. `groupOf` names a file's group (its target).
 */
export function renderTreesByGroup(
  files: readonly SourceFile[],
  groupOf: (path: string) => string,
  options: RenderOptions = {},
  reuseOf?: (group: string, files: readonly SourceFile[]) => ValidatedFiles | undefined,
): RenderedTree {
  const groups = new Map<string, SourceFile[]>();
  for (const f of files) {
    const g = groupOf(f.path);
    const list = groups.get(g);
    if (list) list.push(f);
    else groups.set(g, [f]);
  }
  // A group's files are validated under its own options (Enterprise or CE, its CRD namespaces): so is what the cache gives.
  const optionsOf = (group: string, groupFiles: readonly SourceFile[]) => {
    const reuse = reuseOf?.(group, groupFiles);
    return reuse ? { ...options, reuse } : options;
  };
  if (groups.size <= 1) {
    const [only] = groups;
    return renderTree(files, only ? optionsOf(...only) : options);
  }
  const trees = [...groups].map(([g, group]) => renderTree(group, optionsOf(g, group)));
  const keyed = trees.flatMap((t) => t.entries).map((e) => ({ e, id: entryIdOf(e.normalized) }));
  keyed.sort((a, b) => compareEntryIds(a.id, b.id));
  const all = <K extends 'decodeErrors' | 'validationErrors' | 'graphErrors' | 'warnings'>(k: K) => trees.flatMap((t) => t[k]).sort(compareErrors);
  return {
    entries: keyed.map((k) => k.e),
    decodeErrors: all('decodeErrors'),
    validationErrors: all('validationErrors'),
    graphErrors: all('graphErrors'),
    notices: trees.flatMap((t) => t.notices),
    warnings: all('warnings'),
  };
}

export function entriesOf(tree: RenderedTree, form: 'decoded' | 'normalized'): ApiEntry[] {
  return tree.entries.map((e) => (form === 'normalized' ? e.normalized : e.entry));
}

export function unreadableErrors(unreadable: readonly { path: string; message: string; line?: number; column?: number }[]): ConfigEntryError[] {
  return unreadable.map((u) => configEntryError('io', u.path, u.line === undefined ? undefined : { line: u.line, column: u.column ?? 1 }, '', u.message));
}
