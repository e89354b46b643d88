// A new service-defaults file for a service whose permissive mode is inherited from proxy-defaults:
// beside the other service-defaults files, in the tree's usual format, with the protocol only when
// it is known (never guessed). In a CRD tree whose target maps namespaces (`crdNamespaces`), the
// resource names the Kubernetes namespace consul-k8s maps to the service's Consul namespace.
import type { SourceFile } from '../parse-files.ts';
import { normalizeEntry } from '../normalize.ts';
import { entryKey } from '../../model/entry-id.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { ServiceRef } from '../advisor/model.ts';
import { crdKubeNamespace, type CrdNamespaces } from '../../model/tenancy.ts';
import { newEntryFile, treeStyle } from './new-entry-file.ts';
import { refuse, type Proposal } from './proposal.ts';
import { verifyProposal } from './verify-proposal.ts';

const isDefault = (v: string) => v === '' || v.toLowerCase() === 'default';

export function newServiceDefaultsFile(files: readonly SourceFile[], service: ServiceRef, protocol?: string, crdNamespaces?: CrdNamespaces): Proposal {
  // The name becomes a path: nothing that could climb out of the directory or hide a file.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(service.name) || service.name.includes('..'))
    return refuse(`the service name "${service.name}" cannot be used as a file name; write its service-defaults by hand`);
  if (protocol !== undefined && !/^[a-z0-9]+$/i.test(protocol)) return refuse(`the protocol "${protocol}" is not a protocol name`);
  const style = treeStyle(files);
  let kubeNamespace: string | undefined;
  if (style === 'crd' && crdNamespaces) {
    if (!isDefault(service.partition)) return refuse(`a ServiceDefaults resource cannot name the partition "${service.partition}"; write it by hand`);
    const mapped = crdKubeNamespace('service-defaults', service.namespace, crdNamespaces);
    if (!mapped.ok) return refuse(`no ServiceDefaults resource can define service-defaults "${service.name}": ${mapped.reason}`);
    kubeNamespace = mapped.kubeNamespace;
  } else if (style === 'crd' && (!isDefault(service.namespace) || !isDefault(service.partition)))
    return refuse(`a ServiceDefaults resource for namespace "${service.namespace}" depends on consul-k8s's namespace settings; write it by hand`);
  const entry: ApiEntry = { Kind: 'service-defaults', Name: service.name };
  if (!isDefault(service.namespace)) entry.Namespace = service.namespace;
  if (!isDefault(service.partition)) entry.Partition = service.partition;
  if (protocol) entry.Protocol = protocol;
  entry.MutualTLSMode = 'strict';
  const spec: Record<string, unknown> = protocol ? { protocol, mutualTLSMode: 'strict' } : { mutualTLSMode: 'strict' };
  const crd = { kind: 'ServiceDefaults', name: service.name, ...(kubeNamespace === undefined ? {} : { namespace: kubeNamespace }), spec };
  const file = newEntryFile(files, { stem: service.name, entry, crd }, style);
  const key = entryKey({ kind: 'service-defaults', name: service.name, namespace: service.namespace, partition: service.partition });
  return verifyProposal(files, [{ path: file.path, after: file.text }], key, normalizeEntry(entry), crdNamespaces);
}
