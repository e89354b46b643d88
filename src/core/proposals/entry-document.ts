// Finds the file and document that define a given entry, read exactly as parse-files.ts reads
// them (a CRD's Consul namespace mapped with its target's `crdNamespaces`, as plan maps it), and
// applies one field edit to that document's text (a BOM stays where it was).
import type { SourceFile } from '../parse-files.ts';
import { formatOfPath } from '../parse-files.ts';
import { parseHcl } from '../../formats/hcl/parse-hcl.ts';
import { parseJson } from '../../formats/json.ts';
import { parseYaml } from '../../formats/yaml.ts';
import type { ParseResult, RawNode } from '../../formats/raw.ts';
import { decodeCrd, isCrdDocument } from '../../decode/crd.ts';
import { decodeDocument } from '../../decode/decode-entry.ts';
import type { DecodedEntry } from '../../decode/entry-source.ts';
import { entryIdOf, entryKey } from '../../model/entry-id.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';
import { editHcl } from './hcl-editor.ts';
import { editJson } from './json-editor.ts';
import { editYaml } from './yaml-editor.ts';
import type { FieldSet } from './edit-outcome.ts';
import { applyEdits } from './source-text.ts';

export interface EntryDocument {
  file: SourceFile;
  /** How the text is read: an `.hcl` file starting with `{` is JSON, as `consul config write` reads it. */
  syntax: 'hcl' | 'json' | 'yaml';
  crd: boolean;
  /** A CRD's metadata.namespace (its Kubernetes namespace), when it names one. */
  kubeNamespace?: string;
  /** Index among the documents the reader keeps. */
  index: number;
  decoded: DecodedEntry;
}

const BOM = '\ufeff';

/** Every decodable document of the tree, in file order; `crdNamespaces`: the target's (absent: not mapped). */
export function entryDocuments(files: readonly SourceFile[], crdNamespaces?: CrdNamespaces): EntryDocument[] {
  const out: EntryDocument[] = [];
  for (const file of files) {
    const format = formatOfPath(file.path);
    if (!format) continue;
    const text = file.text.startsWith(BOM) ? file.text.slice(1) : file.text;
    const syntax = format === 'json' || (format === 'hcl' && /^\s*\{/.test(text)) ? 'json' : format;
    const parsed: ParseResult = syntax === 'json' ? parseJson(text) : syntax === 'hcl' ? parseHcl(text) : parseYaml(text);
    if (!parsed.ok) continue;
    parsed.documents.forEach((doc, index) => {
      const crd = syntax === 'yaml' && isCrdDocument(doc);
      const outcome = crd ? decodeCrd(doc, file.path, crdNamespaces) : decodeDocument(doc, file.path, syntax);
      if (!outcome.ok) return;
      const kubeNamespace = crd ? metadataNamespace(doc) : undefined;
      out.push({ file, syntax, crd, index, decoded: outcome.decoded, ...(kubeNamespace === undefined ? {} : { kubeNamespace }) });
    });
  }
  return out;
}

function metadataNamespace(doc: RawNode): string | undefined {
  const metadata = doc.type === 'object' ? doc.entries.find((e) => e.key === 'metadata')?.value : undefined;
  const ns = metadata?.type === 'object' ? metadata.entries.find((e) => e.key === 'namespace')?.value : undefined;
  return ns?.type === 'string' && ns.value !== '' ? ns.value : undefined;
}

/** The document defining the entry with this identity key (`entryKey`), if any. */
export function findEntryDocument(files: readonly SourceFile[], key: string, crdNamespaces?: CrdNamespaces): EntryDocument | undefined {
  return entryDocuments(files, crdNamespaces).find((d) => entryKey(entryIdOf(d.decoded.entry)) === key);
}

/** The file's new text with the field set, or why it cannot be edited in place. */
export function editDocument(doc: EntryDocument, text: string, set: FieldSet): { ok: true; text: string } | { ok: false; reason: string } {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = bom ? text.slice(1) : text;
  const outcome = doc.syntax === 'hcl' ? editHcl(body, set) : doc.syntax === 'json' ? editJson(body, set) : editYaml(body, doc.index, set, doc.crd);
  if (!outcome.ok) return { ok: false, reason: `${doc.file.path}: ${outcome.reason}` };
  return { ok: true, text: bom + applyEdits(body, [outcome.edit]) };
}
