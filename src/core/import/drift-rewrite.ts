// `driftMode: propose` (issue 16, second half), the pure part: an out-of-band change in Consul
// becomes an edit of the entry's own file, rewritten in that file's format by the import writers
// and checked to read back as what Consul now holds. Until the format-preserving editors of the
// proposals issue cover every field, the file is rewritten whole (comments are not kept).
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryIdOf, entryKey } from '../../model/entry-id.ts';
import { formatOfPath } from '../parse-files.ts';
import { renderTree } from '../render.ts';
import type { FileChange, Proposal } from '../proposals/proposal.ts';
import { importedText } from './round-trip.ts';
import type { ImportFormat } from './write-entry.ts';

/** The file's format as import names it: a YAML file of consul-k8s documents is `crd`. */
export function importFormatOf(path: string, text: string): ImportFormat | undefined {
  const format = formatOfPath(path);
  if (format !== 'yaml') return format;
  return /^\s*apiVersion:\s*["']?consul\.hashicorp\.com\//m.test(text) ? 'crd' : 'yaml';
}

/** The edit that makes `file` say what Consul holds for `live`, or why it cannot be proposed. */
export function driftRewrite(file: { path: string; text: string }, live: ApiEntry): Proposal {
  const format = importFormatOf(file.path, file.text);
  if (!format) return { ok: false, reason: `${file.path}: not a config-entry file` };
  const tree = renderTree([file]);
  if (tree.decodeErrors.length || tree.validationErrors.length) return { ok: false, reason: `${file.path} does not render; fix it first` };
  const key = entryKey(entryIdOf(live));
  const match = tree.entries.filter((e) => entryKey(entryIdOf(e.normalized)) === key);
  if (match.length !== 1) return { ok: false, reason: `${file.path} does not define this entry` };
  if (tree.entries.length !== 1) return { ok: false, reason: `${file.path} defines ${tree.entries.length} entries; rewriting it whole would touch the others, so edit it by hand` };
  const written = importedText(live, format, file.path);
  if (!written.ok) return { ok: false, reason: `${file.path}: ${written.field ? `${written.field}: ` : ''}${written.message}` };
  if (written.text === file.text) return { ok: true, changes: [] };
  const change: FileChange = { path: file.path, before: file.text, after: written.text };
  return { ok: true, changes: [change] };
}
