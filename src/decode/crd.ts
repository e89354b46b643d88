// Kubernetes CRD documents (consul.hashicorp.com/v1alpha1) mapped to config entries the way
// consul-k8s's ToConsul methods do: the spec's camelCase fields are the API fields, the name comes
// from metadata (or the intention's destination), and Mesh/ProxyDefaults have fixed names; with the
// target's `crdNamespaces`, the Consul namespace comes from metadata.namespace as consul-k8s maps it
// (a TerminatingGateway's spec.deployment may name both: terminatingGatewayDeployment below).
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
  let deployment: TerminatingGatewayDeployment = {};
  if (def.kind === 'terminating-gateway') {
    const d = terminatingGatewayDeployment(spec, file);
    if ('error' in d) return { ok: false, errors: [d.error] };
    const absent = credentialKeysNotInCrd(spec, file);
    if (absent) return { ok: false, errors: [absent] };
    deployment = d;
    skip = (k) => k === 'deployment';
  }
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
    const nameEntry = deployment.gatewayName ?? (metadata?.type === 'object' ? field(metadata, 'name') : undefined);
    if ((name !== undefined || deployment.gatewayName) && nameEntry) extra.push({ key: 'Name', keyPos: nameEntry.keyPos, value: nameEntry.value });
  }
  let specEntries = spec.entries;
  if (crdNamespaces && !extra.some((e) => e.key === 'Namespace')) {
    const metadataPos = field(doc, 'metadata')?.keyPos ?? doc.pos;
    const mapped = mappedNamespace(def.kind, deployment.consulNamespace ?? nsEntry, metadataPos, file, crdNamespaces);
    if (mapped && 'error' in mapped) return { ok: false, errors: [mapped.error] };
    if (mapped) extra.push(mapped.entry);
    if (deployment.consulNamespace) {
      // The webhook defaults each service's namespace from metadata.namespace, not from consulNamespace
      // (terminatinggateway_types.go DefaultNamespaceFields).
      const own = mappedNamespace(def.kind, nsEntry, metadataPos, file, crdNamespaces);
      if (own && 'error' in own) return { ok: false, errors: [own.error] };
      if (own) specEntries = withServiceNamespaces(spec.entries, own.entry.value);
    }
  }
  const raw: RawObject = { type: 'object', entries: [...extra, ...specEntries], pos: doc.pos };
  // A CRD's []byte fields are base64 in the manifest already (Kubernetes JSON), as on Consul's wire.
  const outcome = decodeWithKind(raw, def, file, 'crd', skip, true);
  const ignored = crdNamespaces ? undefined : ignoredNamespace(nsEntry, file);
  return outcome.ok && ignored ? { ...outcome, warnings: [...outcome.warnings, ignored] } : outcome;
}

/**
 * consul-k8s ≥ 2.0's TerminatingGateway `spec.deployment` (#5109; control-plane/api/v1alpha1/
 * terminatinggateway_types.go TerminatingGatewayDeploymentSpec): the gateway's Kubernetes Deployment,
 * which the config entry does not carry, except `gatewayName`, the entry's Name (`ConsulName()`), and
 * `consulNamespace`, which replaces metadata.namespace as the namespace consul-k8s maps
 * (`ConsulMirroringNS()`, passed to configentry_controller.go consulNamespace → ConsulNamespace).
 * Its other keys are accepted as consul-k8s spells them and not used; any other key is refused.
 */
interface TerminatingGatewayDeployment {
  gatewayName?: RawObjectEntry;
  consulNamespace?: RawObjectEntry;
}

const DEPLOYMENT_KEYS = new Set([
  'enabledDeployment',
  'gatewayName',
  'replicas',
  'resources',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'nodeSelector',
  'priorityClassName',
  'annotations',
  'extraVolumes',
  'serviceAccount',
  'consulNamespace',
  'logLevel',
  'logJSON',
  // consul-k8s's credential-processor and Vault Agent sidecars (TerminatingGatewayCredentialInjection):
  // "a Kubernetes deployment concern only", not the config entry's CredentialInjection.
  'credentialInjection',
]);

/**
 * The config entry's CredentialInjection and Services[].Credential have no CRD field: consul-k8s's
 * TerminatingGatewaySpec and LinkedService lack them and ToConsul never writes them (its newest
 * terminatinggateway_types.go). Kubernetes would prune such keys silently; refused here instead.
 */
function credentialKeysNotInCrd(spec: RawObject, file: string): ConfigEntryError | undefined {
  const why = `consul-k8s's TerminatingGateway does not carry it into the config entry (spec.deployment.credentialInjection configures the gateway's sidecars instead)`;
  const top = field(spec, 'credentialInjection');
  if (top) return configEntryError('decode', file, top.keyPos, 'spec.credentialInjection', `invalid key ${quoteToken('credentialInjection')}`, why);
  const services = field(spec, 'services')?.value;
  if (services?.type !== 'list') return undefined;
  for (const [i, item] of services.items.entries()) {
    const credential = item.type === 'object' ? field(item, 'credential') : undefined;
    if (credential)
      return configEntryError('decode', file, credential.keyPos, `spec.services[${i}].credential`, `invalid key ${quoteToken('credential')}`, why);
  }
  return undefined;
}

function terminatingGatewayDeployment(spec: RawObject, file: string): TerminatingGatewayDeployment | { error: ConfigEntryError } {
  const entry = field(spec, 'deployment');
  if (!entry) return {};
  if (entry.value.type !== 'object') return { error: configEntryError('decode', file, entry.value.pos, 'spec.deployment', 'expected an object') };
  const out: TerminatingGatewayDeployment = {};
  for (const e of entry.value.entries) {
    if (!DEPLOYMENT_KEYS.has(e.key))
      return {
        error: configEntryError(
          'decode',
          file,
          e.keyPos,
          `spec.deployment.${e.key}`,
          `invalid key ${quoteToken(e.key)}`,
          `consul-k8s's TerminatingGateway deployment takes ${[...DEPLOYMENT_KEYS].join(', ')}`,
        ),
      };
    if (e.key !== 'gatewayName' && e.key !== 'consulNamespace') continue;
    if (e.value.type !== 'string') return { error: configEntryError('decode', file, e.value.pos, `spec.deployment.${e.key}`, 'expected a string') };
    // consul-k8s uses each only when not empty.
    if (e.value.value !== '') out[e.key] = e;
  }
  return out;
}

/** spec.services with a namespace given to each that names none, as the webhook gives it. */
function withServiceNamespaces(entries: RawObjectEntry[], namespace: RawNode): RawObjectEntry[] {
  return entries.map((e) => {
    if (e.key !== 'services' || e.value.type !== 'list') return e;
    const items = e.value.items.map((item) =>
      item.type === 'object' && !field(item, 'namespace')
        ? { ...item, entries: [...item.entries, { key: 'namespace', keyPos: item.pos, value: { ...namespace, pos: item.pos } }] }
        : item,
    );
    return { ...e, value: { ...e.value, items } };
  });
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
