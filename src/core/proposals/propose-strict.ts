// The change that takes one permissive service to strict mTLS: its own service-defaults edited in
// place (one line), or, when the mode is inherited from proxy-defaults, a new service-defaults file
// beside its siblings. Verified before it is returned; otherwise the reason, as a value.
import type { SourceFile } from '../parse-files.ts';
import { normalizeEntry } from '../normalize.ts';
import { entryKey } from '../../model/entry-id.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';
import type { ModeOrigin, ServiceRef } from '../advisor/model.ts';
import { editDocument, findEntryDocument } from './entry-document.ts';
import { newServiceDefaultsFile } from './new-service-defaults.ts';
import { refuse, type Proposal } from './proposal.ts';
import { verifyProposal } from './verify-proposal.ts';

export interface StrictModeRequest {
  files: readonly SourceFile[];
  service: ServiceRef;
  origin: ModeOrigin;
  /** The service's protocol when one is known (never guessed); only used for a new file. */
  protocol?: string;
  /** The target's `crdNamespaces`: a CRD is the entry of the Consul namespace consul-k8s maps it to. */
  crdNamespaces?: CrdNamespaces;
}

const tenancy = (s: ServiceRef) => ({ name: s.name, namespace: s.namespace, partition: s.partition });

export function serviceDefaultsKey(s: ServiceRef): string {
  return entryKey({ kind: 'service-defaults', ...tenancy(s) });
}

export function proposeStrictMode(req: StrictModeRequest): Proposal {
  const key = serviceDefaultsKey(req.service);
  const doc = findEntryDocument(req.files, key, req.crdNamespaces);
  if (!doc) {
    if (req.origin.kind === 'service-defaults') return refuse(`no file in the tree defines service-defaults "${req.service.name}"`);
    return newServiceDefaultsFile(req.files, req.service, req.protocol, req.crdNamespaces);
  }
  const mode = doc.decoded.entry.MutualTLSMode;
  if (mode === 'strict') return refuse(`service-defaults "${req.service.name}" in ${doc.file.path} is already strict`);
  if (req.origin.kind === 'service-defaults' && mode !== 'permissive')
    return refuse(`service-defaults "${req.service.name}" in ${doc.file.path} does not say MutualTLSMode = "permissive"`);
  const edited = editDocument(doc, doc.file.text, { path: ['MutualTLSMode'], value: 'strict' });
  if (!edited.ok) return refuse(edited.reason);
  const intended: ApiEntry = normalizeEntry({ ...doc.decoded.entry, MutualTLSMode: 'strict' });
  return verifyProposal(req.files, [{ path: doc.file.path, before: doc.file.text, after: edited.text }], key, intended, req.crdNamespaces);
}
