// `driftMode: propose` (issue 16, second half), the pure part: an out-of-band change in Consul
// becomes an edit of the entry's own file that reads back as what Consul now holds. First the
// format-preserving field editors of the proposals (src/core/proposals/*-editor.ts) set each changed
// string or boolean field in place, so comments, key order and the file's other entries stay; when
// that cannot express the change (a number, a removed field, a list), the file is rewritten whole in
// its format by the import writers, which only a single-entry file allows. CRDs are read with the
// target's `crdNamespaces`, as the drift check's plan read them, so the file is found by the Consul
// namespace consul-k8s maps it to, and a rewritten CRD keeps (or gets) the matching metadata.namespace.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryIdOf, entryKey } from '../../model/entry-id.ts';
import { formatOfPath } from '../parse-files.ts';
import { renderTree } from '../render.ts';
import { diffValues, type FieldDiff } from '../plan/canonical.ts';
import { editDocument, findEntryDocument } from '../proposals/entry-document.ts';
import type { FileChange, Proposal } from '../proposals/proposal.ts';
import { importTarget } from './minimal-entry.ts';
import { importedText } from './round-trip.ts';
import type { ImportFormat } from './write-entry.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';

/** The file's format as import names it: a YAML file of consul-k8s documents is `crd`. */
export function importFormatOf(path: string, text: string): ImportFormat | undefined {
  const format = formatOfPath(path);
  if (format !== 'yaml') return format;
  return /^\s*apiVersion:\s*["']?consul\.hashicorp\.com\//m.test(text) ? 'crd' : 'yaml';
}

/** How the rewrite was made: fields edited in place, or the whole file written anew. */
export type DriftRewrite = Proposal & { how?: 'in-place' | 'whole-file' };

/**
 * The edit that makes `file` say what Consul holds for `live`, or why it cannot be proposed.
 * `crdNamespaces`: the target's (absent: CRD namespaces are not mapped).
 */
export function driftRewrite(file: { path: string; text: string }, live: ApiEntry, crdNamespaces?: CrdNamespaces): DriftRewrite {
  const format = importFormatOf(file.path, file.text);
  if (!format) return { ok: false, reason: `${file.path}: not a config-entry file` };
  const options = crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {};
  const tree = renderTree([file], options);
  if (tree.decodeErrors.length || tree.validationErrors.length) return { ok: false, reason: `${file.path} does not render; fix it first` };
  const key = entryKey(entryIdOf(live));
  const match = tree.entries.filter((e) => entryKey(entryIdOf(e.normalized)) === key);
  if (match.length !== 1) return { ok: false, reason: `${file.path} does not define this entry` };
  const target = importTarget(live);
  const diffs = diffValues(match[0].normalized, target);
  if (diffs.length === 0) return { ok: true, changes: [] };
  const inPlace = editInPlace(file, key, target, diffs, crdNamespaces);
  if (inPlace) return { ok: true, changes: [{ path: file.path, before: file.text, after: inPlace }], how: 'in-place' };
  if (tree.entries.length !== 1)
    return {
      ok: false,
      reason: `${file.path} defines ${tree.entries.length} entries and the change cannot be made field by field; rewriting the file whole would touch the others, so edit it by hand`,
    };
  const kubeNamespace = format === 'crd' ? findEntryDocument([file], key, crdNamespaces)?.kubeNamespace : undefined;
  const written = importedText(live, format, file.path, {
    ...(crdNamespaces ? { namespaces: crdNamespaces } : {}),
    ...(kubeNamespace === undefined ? {} : { kubeNamespace }),
  });
  if (!written.ok) return { ok: false, reason: `${file.path}: ${written.field ? `${written.field}: ` : ''}${written.message}` };
  if (written.text === file.text) return { ok: true, changes: [] };
  const change: FileChange = { path: file.path, before: file.text, after: written.text };
  return { ok: true, changes: [change], how: 'whole-file' };
}

/**
 * Each differing field set in place, when every one is a string or boolean Consul now holds (the
 * editors' vocabulary) at a path of struct fields; the result must render to exactly the live entry
 * and leave every other entry of the file as it was. Undefined when any step falls short.
 */
function editInPlace(
  file: { path: string; text: string },
  key: string,
  target: ApiEntry,
  diffs: readonly FieldDiff[],
  crdNamespaces: CrdNamespaces | undefined,
): string | undefined {
  if (!diffs.every((d) => (typeof d.after === 'string' || typeof d.after === 'boolean') && /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(d.path))) return undefined;
  const doc = findEntryDocument([file], key, crdNamespaces);
  if (!doc) return undefined;
  let text = file.text;
  for (const d of diffs) {
    const edited = editDocument(doc, text, { path: d.path.split('.'), value: d.after as string | boolean });
    if (!edited.ok) return undefined;
    text = edited.text;
  }
  const options = crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {};
  const before = renderTree([file], options);
  const after = renderTree([{ path: file.path, text }], options);
  if (after.decodeErrors.length || after.validationErrors.length || after.entries.length !== before.entries.length) return undefined;
  for (let i = 0; i < after.entries.length; i++) {
    const got = after.entries[i].normalized;
    const want = entryKey(entryIdOf(got)) === key ? target : before.entries[i].normalized;
    if (diffValues(got, want).length !== 0) return undefined;
  }
  return text;
}
