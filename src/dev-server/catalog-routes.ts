// A minimal catalog: PUT /v1/catalog/register, PUT /v1/catalog/deregister, the dev agent's
// PUT /v1/agent/service/register,
// GET /v1/health/connect/:service (the mesh proxies that front a service), GET /v1/catalog/services
// (names and tags, bexpr-filtered over ServiceNodes) and GET /v1/catalog/service/:service, in
// Consul's shapes (structs.RegisterRequest in, structs.CheckServiceNodes / structs.Services /
// structs.ServiceNodes out). No health checks are modelled: every instance reports `"Checks": []`
// and is therefore passing.
import { AclPolicy } from './acl.ts';
import {
  DATACENTER,
  HttpError,
  RpcError,
  blockingQuery,
  checkDatacenter,
  parseQueryOptions,
  queryMetaHeaders,
  rejectEnterpriseMeta,
  sendJson,
  type RequestContext,
} from './http-util.ts';
import { serviceKey, type CatalogService } from './state.ts';
import { BexprError, filterList } from '../core/bexpr.ts';
import { SERVICE_NODE_FIELDS, serviceNodeJson } from './service-node.ts';
import { fieldText } from '../model/field-text.ts';

type Json = Record<string, unknown>;

/** Go's encoding/json matches struct fields case-insensitively. */
function field(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function str(obj: Json, name: string): string {
  const v = field(obj, name);
  return typeof v === 'string' ? v : '';
}

function asObj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function parseBody(ctx: RequestContext): Json {
  let v: unknown;
  try {
    v = JSON.parse(ctx.body);
  } catch (e) {
    throw new HttpError(400, `Request decode failed: ${ctx.body.trim() === '' ? 'EOF' : (e as Error).message}`);
  }
  const o = asObj(v);
  if (!o) throw new HttpError(400, 'Request decode failed: json: cannot unmarshal into Go value of type structs.RegisterRequest');
  return o;
}

/** structs.NodeService as JSON, field order of the Go struct. */
function nodeServiceJson(s: Json): Json {
  const proxy = asObj(field(s, 'Proxy')) ?? {};
  const kind = str(s, 'Kind');
  return {
    ...(kind ? { Kind: kind } : {}),
    ID: str(s, 'ID'),
    Service: str(s, 'Service'),
    Tags: field(s, 'Tags') ?? null,
    Address: str(s, 'Address'),
    ...(field(s, 'TaggedAddresses') ? { TaggedAddresses: field(s, 'TaggedAddresses') } : {}),
    Meta: field(s, 'Meta') ?? null,
    Port: Number(field(s, 'Port') ?? 0),
    Weights: field(s, 'Weights') ?? null,
    EnableTagOverride: field(s, 'EnableTagOverride') === true,
    Proxy: { ...proxy, MeshGateway: asObj(proxy.MeshGateway) ?? {}, Expose: asObj(proxy.Expose) ?? {} },
    Connect: asObj(field(s, 'Connect')) ?? {},
  };
}

/** agent/acl.go bootstrapEscapeHatchKeys (hashicorp/consul 2026 source): Proxy.Config keys spliced into Envoy's configuration. */
const BOOTSTRAP_ESCAPE_HATCH_KEYS: ReadonlySet<string> = new Set([
  'envoy_bootstrap_json_tpl',
  'envoy_extra_static_listeners_json',
  'envoy_public_listener_json',
  'envoy_listener_json',
  'envoy_cluster_json',
  'envoy_local_cluster_json',
  'envoy_extra_static_clusters_json',
  'envoy_extra_stats_sinks_json',
  'envoy_tracing_json',
  'envoy_stats_config_json',
  'envoy_listener_tracing_json',
]);

export class CatalogRoutes {
  constructor(private readonly acl: AclPolicy) {}

  register(ctx: RequestContext): void {
    rejectEnterpriseMeta(ctx);
    const body = parseBody(ctx);
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const node = str(body, 'Node');
    const address = str(body, 'Address');
    if (node === '') throw new RpcError('Must provide node');
    if (address === '' && field(body, 'SkipNodeUpdate') !== true) throw new RpcError('Must provide address if SkipNodeUpdate is not set');
    const svcIn = asObj(field(body, 'Service'));
    let service: Json | undefined;
    if (svcIn) {
      service = { ...svcIn };
      if (!str(service, 'ID') && str(service, 'Service')) service.ID = str(service, 'Service');
      if (!str(service, 'Service')) throw new RpcError('Must provide service name (Service.Service)');
      if (str(service, 'Kind') === 'connect-proxy') {
        const proxy = asObj(field(service, 'Proxy')) ?? {};
        if (!str(proxy, 'DestinationServiceName')) throw new RpcError('Proxy.DestinationServiceName must be non-empty for Connect proxy services');
        if (!Number(field(service, 'Port') ?? 0) && !str(service, 'SocketPath')) throw new RpcError('Port or SocketPath must be set for a Connect proxy');
      }
    }
    const state = ctx.state;
    const existingNode = state.nodes.get(node.toLowerCase());
    const nodeChanged = !existingNode || existingNode.address !== address;
    if (nodeChanged) this.acl.require(ctx, { resource: 'node', access: 'write', name: node });
    if (service) this.acl.require(ctx, { resource: 'service', access: 'write', name: str(service, 'Service') });

    const tables: ('nodes' | 'services')[] = ['nodes'];
    if (service) tables.push('services');
    const idx = state.commit(tables);
    const taggedAddresses = asObj(field(body, 'TaggedAddresses'));
    const meta = asObj(field(body, 'NodeMeta'));
    state.nodes.set(node.toLowerCase(), {
      node,
      address: address || existingNode?.address || '',
      datacenter: DATACENTER,
      ...(taggedAddresses ? { taggedAddresses: taggedAddresses as Record<string, string> } : {}),
      ...(meta ? { meta: meta as Record<string, string> } : {}),
      createIndex: existingNode?.createIndex ?? idx,
      modifyIndex: nodeChanged ? idx : existingNode.modifyIndex,
    });
    if (service) {
      const key = serviceKey(node, str(service, 'ID'));
      const prev = state.services.get(key);
      state.services.set(key, { node, service: nodeServiceJson(service), createIndex: prev?.createIndex ?? idx, modifyIndex: idx });
    }
    state.notify();
    sendJson(ctx, 200, true);
  }

  /**
   * PUT /v1/agent/service/register (agent/agent_endpoint.go AgentRegisterService): the dev agent's own
   * service, synced into the catalog on its node. The body is an api.AgentServiceRegistration (`Name`,
   * not `Service`); the ID defaults to the name. ACLs as agent/acl.go vetServiceRegisterWithAuthorizer
   * at hashicorp/consul's 2026 source (find_string id 62583819178): service:write on the service, on the
   * service an ID overwrites, and on a connect-proxy's destination; then, for the first Proxy.Config
   * key among bootstrapEscapeHatchKeys (an exact-case lookup, unlike structs.IsEnvoyEscapeHatchKey),
   * mesh:write, its denial wrapped as `mesh:write required to set bootstrap escape-hatch Proxy.Config
   * key %q: ` (agent/http.go answers 403: the text holds "Permission denied"). Go ranges over the map
   * in random order, so with several such keys Consul may name any of them; the body's first is named here.
   */
  agentRegister(ctx: RequestContext, node: string): void {
    rejectEnterpriseMeta(ctx);
    const body = parseBody(ctx);
    this.acl.resolve(ctx);
    const name = str(body, 'Name');
    if (name === '') throw new HttpError(400, 'Missing service name');
    const service: Json = { ...body, Service: name, ID: str(body, 'ID') || name };
    delete service.Name;
    const state = ctx.state;
    const key = serviceKey(node, str(service, 'ID'));
    this.acl.require(ctx, { resource: 'service', access: 'write', name });
    const existing = state.services.get(key);
    if (existing) this.acl.require(ctx, { resource: 'service', access: 'write', name: str(existing.service, 'Service') });
    const proxy = asObj(field(service, 'Proxy')) ?? {};
    if (str(service, 'Kind') === 'connect-proxy') this.acl.require(ctx, { resource: 'service', access: 'write', name: str(proxy, 'DestinationServiceName') });
    const config = asObj(field(proxy, 'Config')) ?? {};
    const hatch = Object.keys(config).find((k) => BOOTSTRAP_ESCAPE_HATCH_KEYS.has(k));
    if (hatch !== undefined)
      this.acl.require(
        ctx,
        { resource: 'mesh', access: 'write' },
        `mesh:write required to set bootstrap escape-hatch Proxy.Config key ${JSON.stringify(hatch)}: `,
      );

    const tables: ('nodes' | 'services')[] = state.nodes.has(node.toLowerCase()) ? ['services'] : ['nodes', 'services'];
    const idx = state.commit(tables);
    if (!state.nodes.has(node.toLowerCase()))
      state.nodes.set(node.toLowerCase(), { node, address: '127.0.0.1', datacenter: DATACENTER, createIndex: idx, modifyIndex: idx });
    state.services.set(key, { node, service: nodeServiceJson(service), createIndex: existing?.createIndex ?? idx, modifyIndex: idx });
    state.notify();
    // AgentRegisterService returns no object: 200 with an empty body.
    ctx.res.writeHead(200, { ...ctx.baseHeaders, 'Content-Length': '0' });
    ctx.res.end();
  }

  deregister(ctx: RequestContext): void {
    rejectEnterpriseMeta(ctx);
    const body = parseBody(ctx);
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const node = str(body, 'Node');
    if (node === '') throw new RpcError('Must provide node');
    const serviceId = str(body, 'ServiceID');
    const state = ctx.state;
    if (serviceId) {
      const key = serviceKey(node, serviceId);
      const svc = state.services.get(key);
      if (svc) this.acl.require(ctx, { resource: 'service', access: 'write', name: fieldText(svc.service.Service) });
      if (svc) {
        state.commit(['services']);
        state.services.delete(key);
        state.notify();
      }
    } else if (!str(body, 'CheckID')) {
      this.acl.require(ctx, { resource: 'node', access: 'write', name: node });
      if (state.nodes.has(node.toLowerCase())) {
        state.commit(['nodes', 'services']);
        state.nodes.delete(node.toLowerCase());
        for (const k of [...state.services.keys()]) if (k.startsWith(`${node.toLowerCase()}\u0000`)) state.services.delete(k);
        state.notify();
      }
    }
    sendJson(ctx, 200, true);
  }

  /** GET /v1/health/connect/:service */
  async healthConnect(ctx: RequestContext): Promise<void> {
    const opts = parseQueryOptions(ctx.query);
    rejectEnterpriseMeta(ctx);
    const target = ctx.path.slice('/v1/health/connect/'.length);
    if (target === '') throw new HttpError(400, 'Missing service name');
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const state = ctx.state;
    const result = await blockingQuery(ctx, opts, () => {
      const index = Math.max(state.tableIndex('nodes'), state.tableIndex('services'));
      // Health.ServiceNodes (agent/consul/health_endpoint.go): without service:read on the service
      // whose proxies are asked for, the answer is an empty list — no error, no filtered header.
      if (!this.acl.can(ctx, { resource: 'service', access: 'read', name: target })) return { index, matches: [], filtered: false };
      const all: CatalogService[] = [];
      for (const s of state.services.values()) {
        const proxy = s.service.Proxy as Json | undefined;
        const isProxy = s.service.Kind === 'connect-proxy' && proxy?.DestinationServiceName === target;
        const isNative = (s.service.Connect as Json | undefined)?.Native === true && s.service.Service === target;
        if (isProxy || isNative) all.push(s);
      }
      // filterACL → filterCheckServiceNodes: node:read on the node and service:read on the instance's own name.
      const matches = all.filter(
        (s) =>
          this.acl.can(ctx, { resource: 'node', access: 'read', name: s.node }) &&
          this.acl.can(ctx, { resource: 'service', access: 'read', name: fieldText(s.service.Service) }),
      );
      matches.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : String(a.service.ID) < String(b.service.ID) ? -1 : 1));
      return { index, matches, filtered: matches.length < all.length };
    });
    const out = result.matches.map((s) => {
      const n = state.nodes.get(s.node.toLowerCase());
      return {
        Node: {
          ID: '',
          Node: n?.node ?? s.node,
          Address: n?.address ?? '',
          Datacenter: n?.datacenter ?? DATACENTER,
          TaggedAddresses: n?.taggedAddresses ?? null,
          Meta: n?.meta ?? null,
          CreateIndex: n?.createIndex ?? 0,
          ModifyIndex: n?.modifyIndex ?? 0,
        },
        Service: { ...s.service, CreateIndex: s.createIndex, ModifyIndex: s.modifyIndex },
        Checks: [],
      };
    });
    sendJson(ctx, 200, out, { ...queryMetaHeaders(result.index), ...this.acl.filteredHeader(ctx, result.filtered) });
  }

  /**
   * GET /v1/catalog/services: `{name: [tags]}` of every service whose instances pass the filter
   * (agent/consul/catalog_endpoint.go ListServices: the bexpr filter runs over ServiceNodes, then
   * servicesTagsByName merges the survivors' tags per name; ACLs filter names afterwards).
   */
  async services(ctx: RequestContext): Promise<void> {
    const opts = parseQueryOptions(ctx.query);
    rejectEnterpriseMeta(ctx);
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const filterText = ctx.query.get('filter') ?? '';
    checkFilter(filterText);
    const state = ctx.state;
    const result = await blockingQuery(ctx, opts, () => {
      const index = Math.max(state.tableIndex('nodes'), state.tableIndex('services'));
      let nodes = [...state.services.values()].map((s) => serviceNodeJson(s, state.nodes.get(s.node.toLowerCase())));
      if (filterText !== '') nodes = filterList(filterText, nodes, (x) => x, SERVICE_NODE_FIELDS);
      const tags = new Map<string, Set<string>>();
      for (const n of nodes) {
        const name = String(n.ServiceName);
        const set = tags.get(name) ?? new Set<string>();
        for (const t of (n.ServiceTags as string[] | null) ?? []) set.add(t);
        tags.set(name, set);
      }
      // ACLs filter names after the merge (filterServices): service:read per name.
      const names = [...tags.keys()].sort();
      const readable = names.filter((n) => this.acl.can(ctx, { resource: 'service', access: 'read', name: n }));
      return { index, tags, readable, filtered: readable.length < names.length };
    });
    const out: Record<string, string[]> = {};
    for (const name of result.readable) out[name] = [...result.tags.get(name)!].sort();
    sendJson(ctx, 200, out, { ...queryMetaHeaders(result.index), ...this.acl.filteredHeader(ctx, result.filtered) });
  }

  /**
   * GET /v1/catalog/datacenters: the datacenters the servers know over the WAN, nearest first; one
   * without WAN federation answers its own alone (agent/consul/catalog_endpoint.go ListDatacenters).
   * No ACL check and no `dc`: the RPC takes no token and is never forwarded.
   */
  datacenters(ctx: RequestContext): void {
    sendJson(ctx, 200, [DATACENTER]);
  }

  /** GET /v1/catalog/service/:service: the ServiceNodes of one service (names match case-insensitively, as the memdb index does). */
  async service(ctx: RequestContext): Promise<void> {
    const opts = parseQueryOptions(ctx.query);
    rejectEnterpriseMeta(ctx);
    const target = ctx.path.slice('/v1/catalog/service/'.length);
    if (target === '') throw new HttpError(400, 'Missing service name');
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const filterText = ctx.query.get('filter') ?? '';
    checkFilter(filterText);
    const state = ctx.state;
    const result = await blockingQuery(ctx, opts, () => {
      const index = Math.max(state.tableIndex('nodes'), state.tableIndex('services'));
      const matches = [...state.services.values()]
        .filter((s) => fieldText(s.service.Service).toLowerCase() === target.toLowerCase())
        .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : String(a.service.ID) < String(b.service.ID) ? -1 : 1));
      let nodes = matches.map((s) => serviceNodeJson(s, state.nodes.get(s.node.toLowerCase())));
      if (filterText !== '') nodes = filterList(filterText, nodes, (x) => x, SERVICE_NODE_FIELDS);
      const readable = this.acl.can(ctx, { resource: 'service', access: 'read', name: target });
      return { index, nodes: readable ? nodes : [], filtered: !readable && nodes.length > 0 };
    });
    sendJson(ctx, 200, result.nodes, { ...queryMetaHeaders(result.index), ...this.acl.filteredHeader(ctx, result.filtered) });
  }
}

/** bexpr.CreateFilter runs before the query; its errors come back as a 500 with go-bexpr's wrapping. */
function checkFilter(filterText: string): void {
  if (filterText === '') return;
  try {
    filterList(filterText, [], (x) => x, SERVICE_NODE_FIELDS);
  } catch (e) {
    if (e instanceof BexprError) throw new RpcError(`Failed to create boolean expression evaluator: ${e.message}`);
    throw e;
  }
}
