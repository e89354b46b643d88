// One entry as the text of a file in the format the user chose (hcl, json, yaml, crd), driven by
// the kind registry: field order, duration encodings and CRD kinds all come from src/model. A CRD's
// metadata.namespace is the one consul-k8s maps to the entry's Consul namespace (`crdNamespaces`).
import { stringify as yamlStringify } from 'yaml';
import type { ApiEntry, KindDefinition } from '../../model/kind-definition.ts';
import { crdKubeNamespace, type CrdNamespaces } from '../../model/tenancy.ts';
import { kindDefinition, KINDS } from '../../model/registry.ts';
import { stringifyApiJson } from '../api-json.ts';
import { CRD_GROUP } from '../../decode/crd.ts';
import { orderedObject, type Layout } from './ordered-value.ts';
import { writeHcl } from './write-hcl.ts';

export const IMPORT_FORMATS = ['hcl', 'json', 'yaml', 'crd'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXTENSION: Record<ImportFormat, string> = { hcl: 'hcl', json: 'json', yaml: 'yaml', crd: 'yaml' };

export type WriteOutcome = { ok: true; text: string } | { ok: false; field: string; message: string };

/** How a CRD is placed in Kubernetes. */
export interface CrdPlacement {
  /** The target's `crdNamespaces`; absent: consul-k8s does not map namespaces (the entry must be in `default`). */
  namespaces?: CrdNamespaces;
  /** metadata.namespace to keep where the mapping leaves it free (a file rewritten in place). */
  kubeNamespace?: string;
}

/** Kinds consul-k8s has a CRD for, as the registry lists them. */
export function crdKinds(): string[] {
  return KINDS.filter((k) => k.crdKind).map((k) => k.kind);
}

export function writeEntry(entry: ApiEntry, format: ImportFormat, placement: CrdPlacement = {}): WriteOutcome {
  const def = kindDefinition(entry.Kind);
  if (!def) return { ok: false, field: 'Kind', message: `unknown kind "${entry.Kind}"` };
  switch (format) {
    case 'hcl':
      return { ok: true, text: writeHcl(apiLayout(entry, def, 'text')) };
    case 'json':
      // The API form: durations as the field's JSON encoding, as `consul config read` prints them.
      return { ok: true, text: `${stringifyApiJson(apiLayout(entry, def, 'api'))}\n` };
    case 'yaml':
      return { ok: true, text: yaml(apiLayout(entry, def, 'text')) };
    case 'crd':
      return writeCrd(entry, def, placement);
  }
}

function apiLayout(entry: ApiEntry, def: KindDefinition, durations: Layout['durations']): Record<string, unknown> {
  const { Kind: _, ...rest } = entry;
  return { Kind: def.kind, ...orderedObject(rest, def.fields, { durations, keys: 'api' }) };
}

/**
 * consul-k8s's mapping read backwards: the name goes to metadata (or spec.destination), the rest to
 * spec, the Consul namespace to metadata.namespace through the target's mapping (tenancy.ts
 * crdKubeNamespace); an intention's goes to spec.destination.namespace, which consul-k8s keeps.
 */
function writeCrd(entry: ApiEntry, def: KindDefinition, placement: CrdPlacement): WriteOutcome {
  if (!def.crdKind) return { ok: false, field: 'Kind', message: `${def.kind} has no consul-k8s CRD; kinds with one: ${crdKinds().join(', ')}` };
  const { Kind: _k, Name, Namespace, Partition, ...rest } = entry;
  if (Partition)
    return { ok: false, field: 'Partition', message: 'a CRD cannot carry a Consul admin partition (consul-k8s takes it from its own configuration)' };
  const spec = orderedObject(rest, def.fields, { durations: 'text', keys: 'camel' });
  let name = typeof Name === 'string' ? Name : undefined;
  if (def.kind === 'service-intentions') {
    const destination: Record<string, unknown> = { name: Name };
    if (Namespace) destination.namespace = Namespace;
    return { ok: true, text: yaml(crdDocument(def, String(Name), { destination, ...spec }, placement.kubeNamespace)) };
  }
  let kubeNamespace = placement.kubeNamespace;
  if (placement.namespaces) {
    const mapped = crdKubeNamespace(def.kind, typeof Namespace === 'string' ? Namespace : undefined, placement.namespaces);
    if (!mapped.ok) return { ok: false, field: 'Namespace', message: `no consul-k8s CRD can describe this entry: ${mapped.reason}` };
    kubeNamespace = mapped.kubeNamespace ?? kubeNamespace;
  } else if (Namespace)
    return {
      ok: false,
      field: 'Namespace',
      message:
        'a CRD of this kind cannot carry a Consul namespace (consul-k8s takes it from the Kubernetes namespace); if it mirrors Kubernetes namespaces, say so with crdNamespaces in the target (consul-gitops.yaml)',
    };
  if (def.nameRule.rule === 'implicit') name = def.nameRule.name;
  else if (def.nameRule.rule === 'fixed') name ??= def.nameRule.name;
  return { ok: true, text: yaml(crdDocument(def, name ?? '', spec, kubeNamespace)) };
}

function crdDocument(def: KindDefinition, name: string, spec: Record<string, unknown>, kubeNamespace?: string): Record<string, unknown> {
  const metadata = kubeNamespace === undefined ? { name } : { name, namespace: kubeNamespace };
  const doc: Record<string, unknown> = { apiVersion: `${CRD_GROUP}/v1alpha1`, kind: def.crdKind, metadata };
  if (Object.keys(spec).length) doc.spec = spec;
  return doc;
}

function yaml(value: Record<string, unknown>): string {
  // Plain scalars only where YAML 1.1 readers (Kubernetes' go-yaml) would not retype them ("on", "no", "1e3").
  return yamlStringify(value, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', version: '1.1', aliasDuplicateObjects: false });
}
