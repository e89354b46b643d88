// The import use case: read every live entry (one list per kind, as plan does), turn each into the
// file a user would write, check that each file reads back as what Consul holds, and only then
// write them all, never overwriting a file that says something else unless told to. As CRDs, each
// entry goes to the Kubernetes namespace the target's `crdNamespaces` maps to its Consul namespace;
// one in a namespace consul-k8s could never write to is skipped, with the reason.
import type { ConfigEntryStore } from './ports/config-entry-store.ts';
import { SECRET_KINDS } from '../model/registry.ts';
import { entryIdOf, entryKey, formatEntryId, type EntryId } from '../model/entry-id.ts';
import { ownershipOf } from '../core/plan/ownership.ts';
import { importTarget } from '../core/import/minimal-entry.ts';
import { importedText, roundTripProblem } from '../core/import/round-trip.ts';
import { crdKinds, EXTENSION, type ImportFormat } from '../core/import/write-entry.ts';
import { entryPath } from '../core/import/entry-path.ts';
import { PathSpellings } from '../core/import/path-spellings.ts';
import { managedKinds, readLive } from './make-plan.ts';
import { renderTree } from '../core/render.ts';
import { diffValues } from '../core/plan/canonical.ts';
import type { ValidatedEntry } from '../core/validate-tree.ts';
import { ConsulGitopsError } from '../errors.ts';
import type { EntryFile, ImportFiles } from './ports/import-files.ts';
import { crdKubeNamespace, type CrdNamespaces } from '../model/tenancy.ts';
import { escapeControl } from '../model/terminal-text.ts';
export type { EntryFile, ImportFiles } from './ports/import-files.ts';

export interface ImportRequest {
  dir: string;
  format: ImportFormat;
  /** Only these kinds; undefined: every kind plan manages. */
  kinds?: readonly string[];
  onlyUnmanaged: boolean;
  force: boolean;
  /** The target's `crdNamespaces` (format `crd`): each CRD names the Kubernetes namespace consul-k8s maps to its entry's. */
  crdNamespaces?: CrdNamespaces;
  /** The target runs Consul Enterprise (`+ent`): its Enterprise-only kinds are read too (make-plan.ts managedKinds). */
  enterprise?: boolean;
}

/** Why one entry was not imported: an entry, the API field at fault, and the reason. */
export interface ImportProblem {
  id: EntryId;
  path?: string;
  field: string;
  message: string;
}

export interface ImportReport {
  written: { id: EntryId; path: string; replaced: boolean }[];
  /** A file at the path already describes the entry exactly: left alone. */
  unchanged: { id: EntryId; path: string }[];
  /** Left out on purpose (`--only-unmanaged`). */
  skipped: { id: EntryId; reason: string }[];
  /** Kinds not read at all (their entries hold secrets); named in --kinds to import them. */
  skippedKinds?: string[];
  /** Entries that cannot be written faithfully, and files in the way: with any, nothing is written. */
  problems: ImportProblem[];
}

/**
 * A request the use case refuses before reading Consul (unknown kinds, kinds without a CRD).
 * `enterprise` undefined: the edition is not known yet, so a kind only Enterprise has passes.
 */
export function requestProblem(req: Pick<ImportRequest, 'kinds' | 'format' | 'enterprise'>): string | undefined {
  const known = managedKinds(req.enterprise ?? true);
  const any = managedKinds(true);
  const unknown = (req.kinds ?? []).filter((k) => !any.includes(k));
  if (unknown.length) return `unknown kind${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; kinds: ${known.join(', ')}`;
  const entOnly = (req.kinds ?? []).filter((k) => !known.includes(k));
  if (entOnly.length)
    return `${entOnly.join(', ')}: only Consul Enterprise has ${entOnly.length > 1 ? 'these kinds' : 'this kind'}, and this target's Consul is not Enterprise (its version has no +ent)`;
  if (req.format === 'crd' && req.kinds) {
    const withCrd = crdKinds();
    const without = req.kinds.filter((k) => !withCrd.includes(k));
    if (without.length) return `${without.join(', ')} ha${without.length > 1 ? 've' : 's'} no consul-k8s CRD; kinds with one: ${withCrd.join(', ')}`;
  }
  return undefined;
}

export async function importEntries(store: ConfigEntryStore, files: ImportFiles, req: ImportRequest): Promise<ImportReport> {
  const report: ImportReport = { written: [], unchanged: [], skipped: [], problems: [] };
  const problem = requestProblem({ ...req, enterprise: req.enterprise === true });
  if (problem) throw new ConsulGitopsError('usage', problem);
  // An ACL-filtered list throws incomplete-read here, as in plan: a partial import would look complete.
  // Kinds that hold secrets (the registry's `holdsSecrets`: inline-certificate's private key) are
  // imported only when named in --kinds, so a plain `import` never puts a private key into Git by surprise.
  const kinds = req.kinds ? [...req.kinds] : managedKinds(req.enterprise).filter((k) => !SECRET_KINDS.includes(k));
  const live = await readLive(store, kinds);
  if (!req.kinds) report.skippedKinds = [...SECRET_KINDS];
  const candidates: { id: EntryId; file: EntryFile; live: (typeof live)[number] }[] = [];
  const placement = req.format === 'crd' && req.crdNamespaces ? { namespaces: req.crdNamespaces } : {};
  const tree = await files.tree(req.dir);
  // A folder or file the tree already has in another case (`namespace-Team/` from an import before
  // folders were lower-cased) is where the entry goes: one place per entry, updated in place.
  const spellings = new PathSpellings(tree.map((f) => f.path));
  for (const l of live) {
    const id = entryIdOf(l.entry);
    if (req.onlyUnmanaged && ownershipOf(l.entry) === 'ours') {
      report.skipped.push({ id, reason: 'already managed by consul-gitops (--only-unmanaged)' });
      continue;
    }
    const unmappable = req.format === 'crd' ? unmappableNamespace(l.entry.Kind, id.namespace, req.crdNamespaces) : undefined;
    if (unmappable) {
      report.skipped.push({ id, reason: `no consul-k8s CRD can describe it: ${unmappable}; import it with another --format` });
      continue;
    }
    const where = entryPath(req.dir, id, EXTENSION[req.format]);
    if (!where.ok) {
      report.problems.push({ id, field: where.field, message: where.message });
      continue;
    }
    const path = spellings.respell(where.path);
    const text = importedText(l.entry, req.format, path, placement, req.enterprise === true);
    if (!text.ok) report.problems.push({ id, path, field: text.field, message: text.message });
    else candidates.push({ id, file: { path, text: text.text }, live: l });
  }
  // Where each file would go: every folder on the way a real one (or none yet) under --dir.
  const placeProblems = await Promise.all(candidates.map((c) => files.placeProblem(req.dir, c.file.path)));
  // The entries the tree under --dir already defines, in any file and format, as plan reads them:
  // import never writes a second definition of one (plan would refuse the tree as a duplicate).
  const defined = definitionsByKey(tree, req.crdNamespaces, req.enterprise === true);
  const placeable = candidates.filter((c, i) => {
    const problem = placeProblems[i];
    if (problem) report.problems.push({ id: c.id, path: c.file.path, field: '', message: problem });
    return !problem;
  });
  // What is already on disk, read all at once (the reads are independent).
  const existing = await Promise.all(placeable.map((c) => files.read(c.file.path)));
  const pending: { id: EntryId; file: EntryFile; replaced: boolean }[] = [];
  placeable.forEach((c, i) => {
    const before = existing[i];
    const key = entryKey(c.id);
    const target = importTarget(c.live.entry);
    const elsewhere = (defined.get(key) ?? []).filter((d) => d.file !== c.file.path);
    if (elsewhere.length) {
      const files = [...new Set(elsewhere.map((d) => d.file))].join(', ');
      if (before === undefined && elsewhere.length === 1 && diffValues(target, elsewhere[0].normalized).length === 0) {
        report.unchanged.push({ id: c.id, path: elsewhere[0].file });
        return;
      }
      // --force replaces a file at import's own path only: another file of the tree is the user's.
      report.problems.push({
        id: c.id,
        path: c.file.path,
        field: '',
        message: `already defined in ${files}, which says something else${before === undefined ? '' : ` (and ${c.file.path} exists too)`}; update it there or remove it, then import again`,
      });
      return;
    }
    if (before !== undefined) {
      if (!roundTripProblem(before, c.file.path, target, placement.namespaces, req.enterprise === true)) {
        report.unchanged.push({ id: c.id, path: c.file.path });
        return;
      }
      if (!req.force) {
        report.problems.push({ id: c.id, path: c.file.path, field: '', message: `${c.file.path} exists and describes something else; --force replaces it` });
        return;
      }
      // Replacing a file drops every entry it defines: only this entry's may go.
      const others = [...defined.entries()].filter(([k, ds]) => k !== key && ds.some((d) => d.file === c.file.path)).map(([, ds]) => ds[0]);
      if (others.length) {
        const names = others.map((d) => formatEntryId(entryIdOf(d.normalized))).join(', ');
        report.problems.push({ id: c.id, path: c.file.path, field: '', message: `${c.file.path} also defines ${names}; --force would drop them from Git` });
        return;
      }
    }
    pending.push({ id: c.id, file: c.file, replaced: before !== undefined });
  });
  // All or nothing: one entry that cannot be imported faithfully stops every write.
  if (report.problems.length) return report;
  await files.write(
    pending.map((p) => p.file),
    req.force,
  );
  report.written = pending.map((p) => ({ id: p.id, path: p.file.path, replaced: p.replaced }));
  return report;
}

/** The tree's entries by entry key (decoded ones only: a file that does not read defines nothing yet). */
function definitionsByKey(
  tree: Parameters<typeof renderTree>[0],
  crdNamespaces: CrdNamespaces | undefined,
  enterprise: boolean,
): Map<string, ValidatedEntry[]> {
  const byKey = new Map<string, ValidatedEntry[]>();
  if (!tree.length) return byKey;
  for (const e of renderTree(tree, { ...(crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {}), ...(enterprise ? { enterprise } : {}) }).entries) {
    const key = entryKey(entryIdOf(e.normalized));
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  return byKey;
}

/**
 * Why no CRD can put this entry where Consul holds it, if so (tenancy.ts crdKubeNamespace). An
 * intention is exempt: its spec.destination.namespace names the Consul namespace itself.
 */
function unmappableNamespace(kind: unknown, namespace: string, crdNamespaces: CrdNamespaces | undefined): string | undefined {
  if (!crdNamespaces || kind === 'service-intentions') return undefined;
  const mapped = crdKubeNamespace(String(kind), namespace, crdNamespaces);
  return mapped.ok ? undefined : mapped.reason;
}

/** One line for a terminal: the message may quote files of the user's tree, whose names are escaped. */
export function describeProblem(p: ImportProblem): string {
  return `${formatEntryId(p.id)}${p.field ? `: ${escapeControl(p.field)}` : ''}: ${escapeControl(p.message)}`;
}
