// Kubernetes CRD documents (consul.hashicorp.com/v1alpha1) mapped to config entries the way
// consul-k8s's ToConsul methods do: the spec's camelCase fields are the API fields, the name comes
// from metadata (or the intention's destination), and Mesh/ProxyDefaults have fixed names.
import { configEntryError, quoteToken, type ConfigEntryError } from '../model/errors.ts';
import { KINDS, kindForCrd } from '../model/registry.ts';
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

export function decodeCrd(doc: RawObject, file: string): DecodeOutcome {
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
  const raw: RawObject = { type: 'object', entries: [...extra, ...spec.entries], pos: doc.pos };
  // A CRD's []byte fields are base64 in the manifest already (Kubernetes JSON), as on Consul's wire.
  const outcome = decodeWithKind(raw, def, file, 'crd', skip, true);
  const ignored = metadata?.type === 'object' ? ignoredNamespace(field(metadata, 'namespace'), file) : undefined;
  return outcome.ok && ignored ? { ...outcome, warnings: [...outcome.warnings, ignored] } : outcome;
}

/**
 * metadata.namespace is a Kubernetes namespace. consul-k8s turns it into a Consul namespace only
 * through Helm settings consul-gitops cannot see (mirroringK8S with a prefix, or a destination
 * namespace: control-plane/namespaces/namespaces.go ConsulNamespace), so it is not used: the entry
 * goes to the target's namespace (docs/enterprise.md). Said once per file that names one, since a
 * user who wrote it likely expects it to count; `default` is what a manifest without one means.
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
    'remove metadata.namespace, or manage that Consul namespace with a target whose consul.namespace names it',
  );
}

function fail(file: string, at: { pos?: RawNode['pos']; keyPos?: RawNode['pos'] }, fieldPath: string, message: string, hint?: string): DecodeOutcome {
  return { ok: false, errors: [configEntryError('decode', file, at.keyPos ?? at.pos, fieldPath, message, hint)] };
}
