// exported-services: services a partition exports to peers/partitions (api/config_entry_exports.go).
// The api struct has no Kind field (MarshalJSON adds it) and no top-level Namespace.
import { aliased, list, obj, str } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';
import { isEnterprise } from '../tenancy.ts';

// CE's text is Consul's; Enterprise's source is not public, so its wording is ours.
const invalidName = (_name: string, expected = 'default') =>
  expected === 'default' ? 'exported-services Name must be "default"' : `exported-services Name must be "${expected}", the name of its partition`;

type Consumer = { Partition?: string; Peer?: string; SamenessGroup?: string };
type Service = Record<string, unknown> & { Name?: string; Namespace?: string; Consumers?: Consumer[] };

export const exportedServices: KindDefinition = {
  kind: 'exported-services',
  crdKind: 'ExportedServices',
  applyOrder: 90,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  // Normalize leaves the name alone; Validate refuses any other (validateExportedServicesName, CE),
  // an empty one included. Enterprise: the partition's name (tenancy.ts partitionOf).
  nameRule: { rule: 'fixed', name: 'default', message: invalidName, normalized: false, partitionNamed: true },
  fields: {
    Name: str,
    Partition: str,
    Services: list(
      obj({
        Name: str,
        Namespace: str,
        Consumers: list(obj({ Partition: str, Peer: aliased(str, 'peer_name'), SamenessGroup: str })),
      }),
    ),
    ...meta,
  },
  normalize(entry, consul) {
    const out: ApiEntry = { ...withKind(entry, 'exported-services') };
    const services = out.Services as Service[] | undefined;
    // Enterprise keeps each service's namespace (acl.NormalizeNamespace: "" → "default", compared as
    // such by canonicalNestedTenancy); CE's acl.NormalizeNamespace always yields "" (acl/enterprisemeta_ce.go).
    if (isEnterprise(consul)) return out;
    if (services)
      out.Services = services.map((s) => {
        if (s?.Namespace === undefined) return s;
        const { Namespace: _dropped, ...rest } = s;
        return rest;
      });
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [];
    // The name is checked by the name rule (entry-rules.ts), which knows the target's partition.
    problems.push(...validateMeta(entry));
    ((entry.Services as Service[] | undefined) ?? []).forEach((s, i) => {
      const at = `Services[${i}]`;
      if (!s.Name) {
        problems.push({ field: `${at}.Name`, message: `${at}: service name cannot be empty` });
        return;
      }
      if (s.Namespace === '*' && s.Name !== '*')
        problems.push({ field: `${at}.Name`, message: `${at}: service name must be wildcard if namespace is wildcard` });
      const consumers = s.Consumers ?? [];
      if (consumers.length === 0) {
        problems.push({ field: `${at}.Consumers`, message: `${at}: must have at least one consumer` });
        return;
      }
      consumers.forEach((c, j) => {
        const cat = `${at}.Consumers[${j}]`;
        const count = [c.Peer, c.Partition, c.SamenessGroup].filter(Boolean).length;
        if (count > 1) problems.push({ field: cat, message: `${cat}: must define at most one of Peer, Partition, or SamenessGroup` });
        else if (count === 0) problems.push({ field: cat, message: `${cat}: must define at least one of Peer, Partition, or SamenessGroup` });
        else if (c.Partition === '*') problems.push({ field: `${cat}.Partition`, message: `${cat}: exporting to all partitions (wildcard) is not supported` });
        else if (c.Peer === '*') problems.push({ field: `${cat}.Peer`, message: `${cat}: exporting to all peers (wildcard) is not supported` });
        else if (c.SamenessGroup === '*')
          problems.push({ field: `${cat}.SamenessGroup`, message: `${cat}: exporting to all sameness groups (wildcard) is not supported` });
        else if (c.SamenessGroup) problems.push({ field: `${cat}.SamenessGroup`, message: `${cat}: sameness-groups are an enterprise-only feature` });
      });
    });
    return problems;
  },
};
