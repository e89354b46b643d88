// The guide's last step as a change: the mesh entry stops allowing permissive mTLS
// (AllowEnablingPermissiveMutualTLS = false) and, when the traffic allows it, confines transparent
// proxies to mesh destinations (TransparentProxy.MeshDestinationsOnly = true). Edited in place in
// the mesh entry's own file, keys added in its style; a new mesh file when the tree has none.
import type { SourceFile } from '../parse-files.ts';
import { normalizeEntry } from '../normalize.ts';
import { entryKey } from '../../model/entry-id.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';
import { editDocument, findEntryDocument } from './entry-document.ts';
import type { FieldSet } from './edit-outcome.ts';
import { newEntryFile, treeStyle } from './new-entry-file.ts';
import { refuse, type Proposal } from './proposal.ts';
import { verifyProposal } from './verify-proposal.ts';

export interface LockdownRequest {
  files: readonly SourceFile[];
  /** Also set TransparentProxy.MeshDestinationsOnly = true (only when no sidecar used the passthrough cluster). */
  meshDestinationsOnly: boolean;
  /** The target's `crdNamespaces`, so the rest of a CRD tree reads as plan reads it. */
  crdNamespaces?: CrdNamespaces;
}

export const MESH_KEY = entryKey({ kind: 'mesh', name: 'mesh', namespace: '', partition: '' });

export function proposeMeshLockdown(req: LockdownRequest): Proposal {
  const doc = findEntryDocument(req.files, MESH_KEY, req.crdNamespaces);
  const old: ApiEntry = doc?.decoded.entry ?? { Kind: 'mesh' };
  const sets: FieldSet[] = [];
  if (old.AllowEnablingPermissiveMutualTLS !== false || doc === undefined) sets.push({ path: ['AllowEnablingPermissiveMutualTLS'], value: false });
  const tproxy = (old.TransparentProxy ?? {}) as Record<string, unknown>;
  if (req.meshDestinationsOnly && tproxy.MeshDestinationsOnly !== true) sets.push({ path: ['TransparentProxy', 'MeshDestinationsOnly'], value: true });
  // An absent AllowEnablingPermissiveMutualTLS is already false: say so in the file only alongside another change.
  if (doc && (sets.length === 0 || (sets.length === 1 && old.AllowEnablingPermissiveMutualTLS === undefined && sets[0].path.length === 1)))
    return refuse(`the mesh entry in ${doc.file.path} is already locked down`);
  const intended: ApiEntry = { ...old, AllowEnablingPermissiveMutualTLS: false };
  if (req.meshDestinationsOnly) intended.TransparentProxy = { ...tproxy, MeshDestinationsOnly: true };
  if (!doc) {
    const spec: Record<string, unknown> = { allowEnablingPermissiveMutualTLS: false };
    if (req.meshDestinationsOnly) spec.transparentProxy = { meshDestinationsOnly: true };
    const file = newEntryFile(req.files, { stem: 'mesh', entry: intended, crd: { kind: 'Mesh', name: 'mesh', spec } }, treeStyle(req.files));
    return verifyProposal(req.files, [{ path: file.path, after: file.text }], MESH_KEY, normalizeEntry(intended), req.crdNamespaces);
  }
  let text = doc.file.text;
  for (const set of sets) {
    const edited = editDocument(doc, text, set);
    if (!edited.ok) return refuse(edited.reason);
    text = edited.text;
  }
  return verifyProposal(req.files, [{ path: doc.file.path, before: doc.file.text, after: text }], MESH_KEY, normalizeEntry(intended), req.crdNamespaces);
}
