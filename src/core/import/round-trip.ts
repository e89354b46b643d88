// The import contract: a written file, read back the way `render` reads it and normalised, equals
// the live entry as plan compares it. Checked for every entry before any file is written. A CRD is
// read back with the target's `crdNamespaces`, as plan reads it.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { renderTree } from '../render.ts';
import { diffValues } from '../plan/canonical.ts';
import { importTarget, minimalEntry } from './minimal-entry.ts';
import { writeEntry, type CrdPlacement, type ImportFormat } from './write-entry.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';

export type ImportedText = { ok: true; text: string } | { ok: false; field: string; message: string };

/** The file text for one live entry, or why it cannot be written so that it reads back the same. */
export function importedText(live: ApiEntry, format: ImportFormat, path: string, placement: CrdPlacement = {}, enterprise = false): ImportedText {
  const written = writeEntry(minimalEntry(live), format, placement);
  if (!written.ok) return written;
  const problem = roundTripProblem(written.text, path, importTarget(live), placement.namespaces, enterprise);
  return problem ? { ok: false, ...problem } : written;
}

/** Undefined when `text` (at `path`) renders to exactly `target`; else the first field that differs. */
/** `enterprise`: read back as for a `+ent` target, where CE's refusals of Enterprise features do not apply. */
export function roundTripProblem(
  text: string,
  path: string,
  target: ApiEntry,
  crdNamespaces?: CrdNamespaces,
  enterprise = false,
): { field: string; message: string } | undefined {
  const tree = renderTree([{ path, text }], { ...(crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {}), ...(enterprise ? { enterprise } : {}) });
  const errors = [...tree.decodeErrors, ...tree.validationErrors];
  if (errors.length) {
    const e = errors[0];
    return { field: e.field, message: `the written file would not be read back: ${e.message}` };
  }
  if (tree.entries.length !== 1) return { field: '', message: `the written file holds ${tree.entries.length} entries, not 1` };
  const diffs = diffValues(target, tree.entries[0].normalized);
  if (diffs.length === 0) return undefined;
  const d = diffs[0];
  // Values are not quoted: the field may hold a secret (a private key), and the path says enough.
  return {
    field: d.path,
    message: `would not read back as Consul holds it in this format (${d.after === undefined ? 'lost' : d.before === undefined ? 'added' : 'changed'}); try another --format`,
  };
}
