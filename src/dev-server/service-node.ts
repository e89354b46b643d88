// The catalog's flat view of one service instance, structs.ServiceNode (api.CatalogService), as
// GET /v1/catalog/service/:service returns it and as GET /v1/catalog/services filters it.
import type { FieldSpec } from '../core/bexpr.ts';
import type { CatalogNode, CatalogService } from './state.ts';
import { DATACENTER } from './http-util.ts';

type Json = Record<string, unknown>;

/** structs.ServiceNode's bexpr-visible fields (RaftIndex, ServiceProxy.Config and ServiceConnect.SidecarService are `bexpr:"-"`). */
export const SERVICE_NODE_FIELDS: { [field: string]: FieldSpec } = {
  ID: 'string',
  Node: 'string',
  Address: 'string',
  Datacenter: 'string',
  TaggedAddresses: 'map',
  NodeMeta: 'map',
  ServiceKind: 'string',
  ServiceID: 'string',
  ServiceName: 'string',
  ServiceTags: 'strings',
  ServiceAddress: 'string',
  ServiceTaggedAddresses: 'struct',
  ServiceWeights: { Passing: 'number', Warning: 'number' },
  ServiceMeta: 'map',
  ServicePort: 'number',
  ServiceSocketPath: 'string',
  ServiceEnableTagOverride: 'bool',
  ServiceProxy: {
    DestinationServiceName: 'string',
    DestinationServiceID: 'string',
    LocalServiceAddress: 'string',
    LocalServicePort: 'number',
    LocalServiceSocketPath: 'string',
    Mode: 'string',
    TransparentProxy: { OutboundListenerPort: 'number', DialedDirectly: 'bool' },
    MeshGateway: { Mode: 'string' },
    Upstreams: 'list',
    Expose: { Checks: 'bool', Paths: 'list' },
    AccessLogs: 'struct',
    // structs.ConnectProxyConfig.MutualTLSMode (1.16+): a registration's own mode, filterable like the rest.
    MutualTLSMode: 'string',
  },
  ServiceConnect: { Native: 'bool' },
  PeerName: 'string',
};

/** NodeService + node → ServiceNode JSON, field order of the Go struct (structs.NodeService.ToServiceNode). */
export function serviceNodeJson(s: CatalogService, n: CatalogNode | undefined): Json {
  const svc = s.service;
  return {
    ID: '',
    Node: n?.node ?? s.node,
    Address: n?.address ?? '',
    Datacenter: n?.datacenter ?? DATACENTER,
    TaggedAddresses: n?.taggedAddresses ?? null,
    NodeMeta: n?.meta ?? null,
    ServiceKind: svc.Kind ?? '',
    ServiceID: svc.ID ?? '',
    ServiceName: svc.Service ?? '',
    ServiceTags: svc.Tags ?? null,
    ServiceAddress: svc.Address ?? '',
    ServiceTaggedAddresses: svc.TaggedAddresses ?? null,
    ServiceWeights: svc.Weights ?? { Passing: 1, Warning: 1 },
    ServiceMeta: svc.Meta ?? null,
    ServicePort: svc.Port ?? 0,
    ServiceSocketPath: '',
    ServiceEnableTagOverride: svc.EnableTagOverride === true,
    ServiceProxy: svc.Proxy ?? {},
    ServiceConnect: svc.Connect ?? {},
    ServiceLocality: null,
    CreateIndex: s.createIndex,
    ModifyIndex: s.modifyIndex,
  };
}
