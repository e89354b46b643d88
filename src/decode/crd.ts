// Kubernetes CRD documents (consul.hashicorp.com/v1alpha1) mapped to config entries the way
// consul-k8s's ToConsul methods do: the spec's camelCase fields are the API fields, the name comes
// from metadata (or the intention's destination), and Mesh/ProxyDefaults have fixed names; with the
// target's `crdNamespaces`, the Consul namespace comes from metadata.namespace as consul-k8s maps it.
import { configEntryError, quoteToken, type ConfigEntryError, type SourcePosition } from '../model/errors.ts';
import { KINDS, kindForCrd } from '../model/registry.ts';
import { crdConsulNamespace, DEFAULT_TENANCY, type CrdNamespaces } from '../model/tenancy.ts';
import type { RawNode, RawObject, RawObjectEntry } from '../formats/raw.ts';
import { decodeWithKind, type DecodeOutcome } from './decode-entry.ts';

export const CRD_GROUP = 'consul.hashicorp.com';

export function isCrdDocument(doc: RawNode): doc is RawObject {
  if (doc.type !== 'object') return false;
  const api = doc.entries.find((e) => e.key === 'apiVersion')?.value;
  return api?.type === 'string' && api.value.startsWith(`${CRD_GROUP}/`);
}

const field = (o: RawObject, key: string): RawObjectEntry | undefined => o.entries.find((e) => e.key === key);

const str = (n: RawNode | undefined): string | undefined => (n?.type === 'string' ? n.value : undefined);

/** `crdNamespaces`: the target's mapping of Kubernetes namespaces (consul-gitops.yaml); absent: none. */
export function decodeCrd(doc: RawObject, file: string, crdNamespaces?: CrdNamespaces): DecodeOutcome {
  const apiVersion = str(field(doc, 'apiVersion')?.value)!;
  const kindEntry = field(doc, 'kind');
  const crdKind = str(kindEntry?.value);
  if (apiVersion !== `${CRD_GROUP}/v1alpha1`)
    return fail(file, doc, 'apiVersion', `unsupported apiVersion ${quoteToken(apiVersion)}: consul-gitops reads ${CRD_GROUP}/v1alpha1`);
  const def = crdKind ? kindForCrd(crdKind) : undefined;
  if (!def) {
    const known = KINDS.filter((k) => k.crdKind).map((k) => k.crdKind);
    return fail(file, kindEntry ?? doc, 'kind', `unknown CRD kind ${quoteToken(crdKind ?? '')} for ${apiVersion}`, `expected one of ${known.join(', ')}`);
  }
  const metadata = field(doc, 'metadata')?.value;
  const name = metadata?.type === 'object' ? str(field(metadata, 'name')?.value) : undefined;
  const specEntry = field(doc, 'spec');
  const spec: RawObject = specEntry?.value.type === 'object' ? specEntry.value : { type: 'object', entries: [], pos: specEntry?.value.pos ?? doc.pos };

  const extra: RawObjectEntry[] = [];
  let skip = (_: string) => false;
  const nsEntry = metadata?.type === 'object' ? field(metadata, 'namespace') : undefined;
  if (def.kind === 'service-intentions') {
    // consul-k8s: the entry's Name and Namespace come from spec.destination.
    const dest = field(spec, 'destination')?.value;
    if (dest?.type === 'object')
      for (const e of dest.entries) {
        if (e.key === 'name') extra.push({ ...e, key: 'Name' });
        else if (e.key === 'namespace') extra.push({ ...e, key: 'Namespace' });
        else
          return {
            ok: false,
            errors: [
              {
                ...configEntryError('decode', file, e.keyPos, `spec.destination.${e.key}`, `invalid config key ${quoteToken(`destination.${e.key}`)}`),
                code: 'unknown-field',
              },
            ],
          };
      }
    skip = (k) => k === 'destination';
  } else if (def.nameRule.rule === 'named' || def.nameRule.rule === 'fixed') {
    const nameEntry = metadata?.type === 'object' ? field(metadata, 'name') : undefined;
    if (name !== undefined && nameEntry) extra.push({ key: 'Name', keyPos: nameEntry.keyPos, value: nameEntry.value });
  }
  if (crdNamespaces && !extra.some((e) => e.key === 'Namespace')) {
    const mapped = mappedNamespace(def.kind, nsEntry, field(doc, 'metadata')?.keyPos ?? doc.pos, file, crdNamespaces);
    if (mapped && 'error' in mapped) return { ok: false, errors: [mapped.error] };
    if (mapped) extra.push(mapped.entry);
  }
  const raw: RawObject = { type: 'object', entries: [...extra, ...spec.entries], pos: doc.pos };
  // A CRD's []byte fields are base64 in the manifest already (Kubernetes JSON), as on Consul's wire.
  const outcome = decodeWithKind(raw, def, file, 'crd', skip, true);
  const ignored = crdNamespaces ? undefined : ignoredNamespace(nsEntry, file);
  return outcome.ok && ignored ? { ...outcome, warnings: [...outcome.warnings, ignored] } : outcome;
}

/**
 * The entry's `Namespace` as consul-k8s would write it (tenancy.ts crdConsulNamespace), placed at
 * metadata.namespace so errors about it (a namespace the target does not manage) point there.
 * Mirroring needs the Kubernetes namespace: a manifest without one is applied wherever kubectl's
 * context says, which the file does not tell, so it is refused rather than guessed as `default`
 * (a guess would plan the entry in the wrong namespace and prune the right one).
 */
function mappedNamespace(
  kind: string,
  nsEntry: RawObjectEntry | undefined,
  metadataPos: SourcePosition,
  file: string,
  options: CrdNamespaces,
): { entry: RawObjectEntry } | { error: ConfigEntryError } | undefined {
  const kubeNs = str(nsEntry?.value) ?? '';
  const consulNs = crdConsulNamespace(kind, kubeNs || DEFAULT_TENANCY, options);
  if (consulNs === undefined) return undefined;
  if (options.mirroringK8S && kubeNs === '')
    return {
      error: configEntryError(
        'decode',
        file,
        nsEntry?.value.pos ?? metadataPos,
        'metadata.namespace',
        `a ${kind} CRD needs metadata.namespace: the target mirrors Kubernetes namespaces (crdNamespaces.mirroringK8S in consul-gitops.yaml), so consul-k8s writes the entry to the Consul namespace named after it`,
        'add metadata.namespace with the Kubernetes namespace the manifest is applied to',
      ),
    };
  const pos = nsEntry?.value.pos ?? metadataPos;
  return { entry: { key: 'Namespace', keyPos: nsEntry?.keyPos ?? pos, value: { type: 'string', value: consulNs, pos } } };
}

/**
 * metadata.namespace is a Kubernetes namespace. consul-k8s turns it into a Consul namespace only
 * through its Helm settings (mirroringK8S with a prefix, or a destination namespace:
 * control-plane/namespaces/namespaces.go ConsulNamespace), which a target states with
 * `crdNamespaces`; without it the namespace is not used: the entry goes to the target's namespace
 * (docs/enterprise.md). Said once per file that names one, since a user who wrote it likely expects
 * it to count; `default` is what a manifest without one means.
 */
function ignoredNamespace(entry: RawObjectEntry | undefined, file: string): ConfigEntryError | undefined {
  const ns = str(entry?.value);
  if (!entry || ns === undefined || ns === '' || ns === 'default') return undefined;
  return configEntryError(
    'decode',
    file,
    entry.value.pos,
    'metadata.namespace',
    `the Kubernetes namespace ${quoteToken(ns)} is not used: the entry is written to the target's Consul namespace (consul.namespace in consul-gitops.yaml), as consul-k8s does without namespace mirroring`,
    'remove metadata.namespace; or, if consul-k8s mirrors Kubernetes namespaces, say so with crdNamespaces in the target (consul-gitops.yaml)',
  );
}

function fail(file: string, at: { pos?: RawNode['pos']; keyPos?: RawNode['pos'] }, fieldPath: string, message: string, hint?: string): DecodeOutcome {
  return { ok: false, errors: [configEntryError('decode', file, at.keyPos ?? at.pos, fieldPath, message, hint)] };
}
