// Consul HTTP API client for config entries, KV and Connect health: reads on node:http
// (node-http-gets.ts), every other request on undici's dispatch() (undici-writes.ts), loaded on the first one.
// https://developer.hashicorp.com/consul/api-docs/config
import type { Agent, Dispatcher } from 'undici';
import { stringifyApiJson } from '../../core/api-json.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { listPermission, resourceListPermission } from '../../model/kind-acl.ts';
import { assertCompleteRead, type NeededPermission } from './complete-read.ts';
import { ConsulError, redact } from './errors.ts';
import { dropServerHash, parseConsulJson } from './json.ts';
import {
  ConsulOptionsError,
  baseUrlOf,
  optionsFromEnv,
  parseConsulClientOptions,
  tlsConnectOptions,
  trustSource,
  type ConsulClientOptions,
  type ConsulClientOptionsInput,
  type ReadTextFile,
} from './options.ts';
import { realSleep, type Random, type Sleep } from './retry.ts';
import {
  AclTokenSelfSchema,
  AgentSelfSchema,
  AgentVersionSchema,
  AuthorizeResponseSchema,
  CaConfigurationSchema,
  CatalogServiceNodeListSchema,
  CatalogServicesSchema,
  DatacenterListSchema,
  NamespaceListSchema,
  KvPairListSchema,
  LiveEntryListSchema,
  LiveEntrySchema,
  liveEntryListAsIs,
  ServiceEntryListSchema,
  ServiceTagsSchema,
  toConnectInstance,
  type ConnectInstance,
} from './schemas.ts';
import { ConsulTransport, header, type ConsulLogger, type ExchangeRequest, type ExchangeResponse, type RequestDispatcher } from './transport.ts';
import { NodeHttpGets } from './node-http-gets.ts';
import { dispatchRequest } from './undici-writes.ts';
import type * as z from 'zod/mini';
import { ConsulGitopsError } from '../../errors.ts';
import { knownSecrets } from '../../known-secrets.ts';
import { readRegularText, whyUnreadable } from '../files/regular-file.ts';

export interface ConsulClientDeps {
  /** A dispatcher to use instead of the client's own undici Agent (tests: one that records every request sent). Not closed by `close()`. */
  dispatcher?: Dispatcher;
  sleep?: Sleep;
  random?: Random;
  logger?: ConsulLogger;
  /** Reads PEM files at construction (defaults to a bounded regular-file read, regular-file.ts). */
  readTextFile?: ReadTextFile;
  /** Reads the token file on first use (defaults to a regular file of at most 64 KiB, regular-file.ts). */
  readTokenFile?: (path: string) => Promise<string>;
}

export interface CasOption {
  /** Check-and-set: 0 = create only if absent; N = apply only if the entry's ModifyIndex is N. */
  cas?: number;
}

export interface ListOptions {
  /** bexpr filter (Consul supports it only for service-defaults). */
  filter?: string;
  /** Blocking query: return when the config-entries index exceeds this value, or after `wait`. */
  index?: number;
  /** Maximum blocking time in ms (Consul's default 5 min, max 10 min). */
  wait?: number;
  signal?: AbortSignal;
  /** Enterprise: list this namespace (`*`: every namespace of the partition) instead of the client's. */
  namespace?: string;
}

/** Enterprise namespace and partition of one entry; empty: the client's own (CE sends none). */
export interface EntryScope {
  namespace?: string;
  partition?: string;
}

export interface KvPair {
  value: string;
  modifyIndex: number;
  flags: number;
}

/** Consul's default blocking wait (`default_query_time`) when `index` is given without `wait`. */
const DEFAULT_WAIT_MS = 300_000;

/**
 * Consul HTTP client. Every method throws `ConsulError` on failure; see errors.ts for the kinds
 * and transport.ts for what is retried.
 *
 * Write results: `true`/`false` are Consul's answers. When a write had to be retried after an
 * attempt whose outcome is unknown (connection dropped after sending, 502/504, forwarded RPC EOF),
 * a `false` cannot be told apart from "our own first attempt already applied it", so instead of
 * `false` the method throws `ConsulError { kind: 'conflict', ambiguous: true }`: re-read and re-plan.
 * A `true` after such a retry is safe (the entry is as written, or absent for deletes).
 *
 * @example
 * const consul = ConsulClient.fromEnv(process.env);
 * const { entry } = await consul.getEntry('service-defaults', 'web');
 * await consul.putEntry({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, { cas: entry ? Number(entry.ModifyIndex) : 0 });
 */
export class ConsulClient {
  readonly options: ConsulClientOptions;
  readonly #transport: ConsulTransport;
  /** The client's own undici Agent, made on the first request that is not a GET. */
  #ownedAgent: Promise<Agent> | undefined;
  /** The same Agent once made. */
  #agent: Agent | undefined;
  readonly #gets: NodeHttpGets | undefined;
  readonly #readTokenFile: (path: string) => Promise<string>;
  #token: Promise<string | undefined> | undefined;
  #resolvedToken: string | undefined;

  constructor(input: ConsulClientOptionsInput = {}, deps: ConsulClientDeps = {}) {
    this.options = parseConsulClientOptions(input);
    const baseUrl = baseUrlOf(this.options);
    const https = baseUrl.protocol === 'https:';
    // The PEM files are read (and a bad CA file refused) here, before any request, for both clients.
    const tls = deps.dispatcher || !https ? undefined : tlsConnectOptions(this.options.tls, deps.readTextFile);
    this.#gets = deps.dispatcher ? undefined : new NodeHttpGets(https, tls);
    const given = deps.dispatcher;
    const own: RequestDispatcher = given
      ? { request: (o) => dispatchRequest(given, o) }
      : {
          request: (o) => {
            if (o.method === 'GET') return this.#gets!.request(o);
            // Once loaded, the Agent is used directly: no promise hop per write.
            if (this.#agent) return dispatchRequest(this.#agent, o);
            return (this.#ownedAgent ??= import('undici').then(({ Agent }) => (this.#agent = new Agent(tls ? { connect: tls } : {})))).then((a) =>
              dispatchRequest(a, o),
            );
          },
        };
    // A token is small: a regular file of 64 KiB at most, so a FIFO or /dev/zero is refused, not waited on.
    this.#readTokenFile = deps.readTokenFile ?? ((p) => Promise.resolve().then(() => readRegularText(p, 64 * 1024)));
    this.#transport = new ConsulTransport({
      baseUrl,
      dispatcher: own,
      token: () => (this.#token ??= this.#resolveToken()),
      timeoutMs: this.options.timeoutMs,
      retry: this.options.retry,
      sleep: deps.sleep ?? realSleep,
      random: deps.random ?? Math.random,
      logger: deps.logger,
      ...(https ? { trust: trustSource(this.options.tls) } : {}),
    });
  }

  /** A client configured like the Consul CLI from its environment variables, plus overrides. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>, overrides: ConsulClientOptionsInput = {}, deps: ConsulClientDeps = {}): ConsulClient {
    return new ConsulClient({ ...optionsFromEnv(env), ...overrides }, deps);
  }

  async close(): Promise<void> {
    this.#gets?.close();
    await (await this.#ownedAgent)?.close();
  }

  // ---- config entries ------------------------------------------------------------------------

  /** `GET /v1/config/:kind/:name`; a missing entry is `entry: undefined`. `index` is X-Consul-Index. */
  async getEntry(kind: string, name: string, scope: EntryScope = {}): Promise<{ entry: ApiEntry | undefined; index: number }> {
    const res = await this.#send({ method: 'GET', path: entryPath(kind, name), query: this.#scopeQuery(scope), accept: [404] });
    if (res.status === 404) return { entry: undefined, index: indexOf(res) };
    const entry = this.#parse(res, LiveEntrySchema, 'GET', entryPath(kind, name));
    return { entry: dropServerHash(entry), index: indexOf(res) };
  }

  /** `GET /v1/config/:kind` (`[]` when none); with `index` it is a blocking query. */
  async listEntries(kind: string, opts: ListOptions = {}): Promise<{ entries: ApiEntry[]; index: number }> {
    return (await this.listAnswer(kind, opts)).parse();
  }

  /**
   * listEntries in two steps: the answer now (sent, retried and checked complete as listEntries does),
   * its entries parsed when asked for. `text`: the answer as received, which they are parsed from
   * (the plan cache's key, src/cli/plan-cache.ts: a memo hit never parses the lists).
   */
  async listAnswer(kind: string, opts: ListOptions = {}): Promise<{ text: string; parse(): { entries: ApiEntry[]; index: number } }> {
    const blocking = opts.index !== undefined && opts.index > 0;
    const waitMs = blocking ? (opts.wait ?? DEFAULT_WAIT_MS) : 0;
    const path = `/v1/config/${encodeURIComponent(kind)}`;
    const res = await this.#send({
      method: 'GET',
      path,
      query: {
        filter: opts.filter,
        index: blocking ? String(opts.index) : undefined,
        wait: blocking && opts.wait !== undefined ? `${Math.ceil(opts.wait)}ms` : undefined,
        ...this.#scopeQuery({ namespace: opts.namespace }),
      },
      // Consul adds up to wait/16 of jitter to the wait.
      extraTimeoutMs: blocking ? Math.ceil(waitMs * (17 / 16)) : 0,
      signal: opts.signal,
    });
    const where = opts.namespace === '*' ? ' in every namespace' : opts.namespace ? ` in namespace ${JSON.stringify(opts.namespace)}` : '';
    this.#assertComplete(res, path, `listing ${kind}${where}${opts.filter ? ` (filter ${opts.filter})` : ''}`, listPermission(kind), opts.namespace);
    return {
      text: res.text,
      parse: () => {
        const entries = this.#parse(res, LiveEntryListSchema, 'GET', path, liveEntryListAsIs);
        return { entries: entries.map((e) => dropServerHash(e) as ApiEntry), index: indexOf(res) };
      },
    };
  }

  /**
   * `PUT /v1/config[?cas=N]`; Consul's `true`/`false`. An entry that names its namespace/partition is
   * sent with the same `?ns=`/`?partition=`, so the client's own (CONSUL_NAMESPACE) can never compete
   * with it in ConfigApply's `EnterpriseMeta.Merge`. Only for a client configured with tenancy: a CE
   * Consul answers a file's stray Namespace with its own `invalid config key` error, as before.
   */
  async putEntry(entry: ApiEntry, opts: CasOption = {}): Promise<boolean> {
    const { namespace, partition, managedNamespaces } = this.options;
    const tenancy = namespace || partition || managedNamespaces;
    const own = (v: unknown) => (tenancy && typeof v === 'string' ? v : undefined);
    const scope = this.#scopeQuery({ namespace: own(entry.Namespace), partition: own(entry.Partition) });
    const res = await this.#send({ method: 'PUT', path: '/v1/config', query: { ...casQuery(opts), ...scope }, body: entryBody(entry) });
    return this.#writeResult(res, 'PUT', '/v1/config');
  }

  /** `DELETE /v1/config/:kind/:name[?cas=N]`; the `{}` answer of a delete without cas counts as true. */
  async deleteEntry(kind: string, name: string, opts: CasOption & EntryScope = {}): Promise<boolean> {
    const res = await this.#send({ method: 'DELETE', path: entryPath(kind, name), query: { ...casQuery(opts), ...this.#scopeQuery(opts) } });
    return this.#writeResult(res, 'DELETE', entryPath(kind, name));
  }

  // ---- KV ------------------------------------------------------------------------------------

  /** `GET /v1/kv/:key`, value decoded from base64 as UTF-8; undefined when absent. */
  async kvGet(key: string): Promise<KvPair | undefined> {
    const res = await this.#send({ method: 'GET', path: kvPath(key), accept: [404] });
    if (res.status === 404) return undefined;
    const [pair] = this.#parse(res, KvPairListSchema, 'GET', kvPath(key));
    if (!pair) return undefined;
    return { value: Buffer.from(pair.Value ?? '', 'base64').toString('utf8'), modifyIndex: pair.ModifyIndex, flags: pair.Flags ?? 0 };
  }

  async kvPut(key: string, value: string, opts: CasOption = {}): Promise<boolean> {
    const res = await this.#send({ method: 'PUT', path: kvPath(key), query: casQuery(opts), body: value, contentType: 'application/octet-stream' });
    return this.#writeResult(res, 'PUT', kvPath(key));
  }

  async kvDelete(key: string, opts: CasOption = {}): Promise<boolean> {
    const res = await this.#send({ method: 'DELETE', path: kvPath(key), query: casQuery(opts) });
    return this.#writeResult(res, 'DELETE', kvPath(key));
  }

  // ---- health / catalog ----------------------------------------------------------------------

  /**
   * `GET /v1/health/connect/:service`: the sidecar proxies (and Connect-native instances) of a service.
   * Throws `incomplete-read` when ACLs filtered instances out (or may have: no token under default deny).
   * Without service:read on `service` itself Consul answers `[]` with no header at all
   * (Health.ServiceNodes returns early), so an empty answer from a token is checked with
   * `/v1/internal/acl/authorize` before it is believed.
   * `namespace`/`partition`: the service's own (Enterprise), sent as `?ns=`/`?partition=` in place of
   * the client's. A `default` one is left out when the client has none of its own: Consul CE answers
   * 400 to any `ns` or `partition` parameter, even `default` (agent/http_ce.go parseEntMeta).
   */
  async connectServiceInstances(
    service: string,
    opts: { passing?: boolean; namespace?: string; partition?: string; dc?: string } = {},
  ): Promise<ConnectInstance[]> {
    const path = `/v1/health/connect/${encodeURIComponent(service)}`;
    const tenancy = (own: string | undefined, asked: string | undefined) =>
      asked === undefined || (own === undefined && (asked === '' || asked.toLowerCase() === 'default')) ? undefined : asked || 'default';
    const res = await this.#send({
      method: 'GET',
      path,
      query: {
        passing: opts.passing ? 'true' : undefined,
        ns: tenancy(this.options.namespace, opts.namespace),
        partition: tenancy(this.options.partition, opts.partition),
        dc: opts.dc,
      },
    });
    this.#assertComplete(
      res,
      path,
      `the sidecar proxies of ${JSON.stringify(service)}`,
      {
        permission: `service:read on ${JSON.stringify(service)} and its sidecar proxies, and node:read on their nodes`,
        rule: `service_prefix ${JSON.stringify(service)} { policy = "read" } and node_prefix "" { policy = "read" }`,
      },
      undefined,
      opts.dc,
    );
    const instances = this.#parse(res, ServiceEntryListSchema, 'GET', path).map(toConnectInstance);
    // The same datacenter as the list: a token is checked where it was used (a local token differs per datacenter).
    if (instances.length === 0 && this.#resolvedToken && !(await this.#mayRead('service', service, opts.dc))) {
      throw new ConsulError({
        kind: 'incomplete-read',
        message:
          `the sidecar proxies of ${JSON.stringify(service)} (GET ${path}) are unknown: this token may not read service ${JSON.stringify(service)}, ` +
          `and Consul then answers with an empty list instead of an error. The token needs service:read on ${JSON.stringify(service)} ` +
          `(\`service_prefix ${JSON.stringify(service)} { policy = "read" }\`). Nothing was judged from this answer.`,
        method: 'GET',
        path,
        status: res.status,
        missingPermission: `service:read on ${JSON.stringify(service)}`,
      });
    }
    return instances;
  }

  /** `POST /v1/internal/acl/authorize`: may this token read `segment`? true when ACLs are disabled (401 `ACL support disabled`). */
  async #mayRead(resource: 'service', segment: string, dc?: string): Promise<boolean> {
    const path = '/v1/internal/acl/authorize';
    const res = await this.#send({
      method: 'POST',
      path,
      ...(dc ? { query: { dc } } : {}),
      body: stringifyApiJson([{ Resource: resource, Segment: segment, Access: 'read' }], 0),
      accept: [401],
    });
    if (res.status === 401) return true;
    const [answer] = this.#parse(res, AuthorizeResponseSchema, 'POST', path);
    return answer?.Allow === true;
  }

  /**
   * `GET /v1/catalog/services` (optionally bexpr-filtered): every service name with its tags; `incomplete-read` when ACLs hid some.
   * `namespace` (Enterprise): that namespace's catalog (`?ns=`) instead of the client's own.
   */
  async listServices(filter?: string, namespace?: string, dc?: string): Promise<Record<string, string[]>> {
    const path = '/v1/catalog/services';
    const res = await this.#send({ method: 'GET', path, query: { filter, ...(namespace ? { ns: namespace } : {}), ...(dc ? { dc } : {}) } });
    this.#assertComplete(res, path, `the catalog of services${inNamespace(namespace)}`, resourceListPermission('service'), namespace, dc);
    return this.#parse(res, ServiceTagsSchema, 'GET', path);
  }

  /**
   * `GET /v1/catalog/datacenters`: every datacenter the servers know over the WAN (federation; peers
   * are not listed), nearest first: the servers' own datacenter has zero RTT, so it comes first
   * (agent/router/router.go GetDatacentersByDistance), and a server without WAN federation answers its
   * own alone (agent/consul/catalog_endpoint.go ListDatacenters). No ACL check, no `dc`, no filtering.
   * undefined: the endpoint answered 404 (not Consul's own answer: a proxy in front, or a double).
   */
  async datacenters(): Promise<string[] | undefined> {
    const path = '/v1/catalog/datacenters';
    const res = await this.#send({ method: 'GET', path, accept: [404] });
    if (res.status === 404) return undefined;
    return this.#parse(res, DatacenterListSchema, 'GET', path);
  }

  /**
   * The services that have at least one sidecar proxy registered: what a permissive MutualTLSMode
   * inherited from proxy-defaults applies to. Few requests, not one per service:
   * `GET /v1/catalog/services` filtered to `ServiceKind == "connect-proxy"` lists the proxies'
   * names; the `<service>-sidecar-proxy` convention (agent/sidecar_service.go, consul-k8s, Nomad)
   * gives a guess of each proxy's destination, confirmed for a batch of proxies per request by a
   * filter on `ServiceProxy.DestinationServiceName`; only proxies named otherwise, or whose guess
   * was wrong, are read one by one (`GET /v1/catalog/service/:proxy`).
   * `namespace` (Enterprise): that namespace's catalog (`?ns=`) instead of the client's own; never
   * `*`, since the answer is a map keyed by service name alone. `dc`: another WAN-federated
   * datacenter's catalog (`?dc=`), which the servers forward there.
   */
  async connectEnabledServices(namespace?: string, dc?: string): Promise<string[]> {
    const ns = { ...(namespace ? { ns: namespace } : {}), ...(dc ? { dc } : {}) };
    const proxies = Object.keys(await this.#catalogServices('ServiceKind == "connect-proxy"', namespace, dc));
    const guesses = new Map<string, string>();
    const unresolved: string[] = [];
    for (const p of proxies) {
      const d = p.slice(0, -SIDECAR_SUFFIX.length);
      // A name go-bexpr cannot spell (both quote kinds) is confirmed by reading its proxy on its own.
      if (p.endsWith(SIDECAR_SUFFIX) && d !== '' && bexprString(p) !== undefined && bexprString(d) !== undefined) guesses.set(p, d);
      else unresolved.push(p);
    }
    const destinations = new Set<string>();
    const pairs = [...guesses];
    // Batches keep the filter (and so the request line) a few kilobytes long.
    for (let i = 0; i < pairs.length; i += CONFIRM_BATCH) {
      const batch = pairs.slice(i, i + CONFIRM_BATCH);
      const either = batch.map(([p, d]) => `(ServiceName == ${bexprString(p)!} and ServiceProxy.DestinationServiceName == ${bexprString(d)!})`).join(' or ');
      const confirmed = await this.#catalogServices(`ServiceKind == "connect-proxy" and (${either})`, namespace, dc);
      for (const [p, d] of batch) {
        if (p in confirmed) destinations.add(d);
        else unresolved.push(p);
      }
    }
    for (const p of unresolved) {
      const path = `/v1/catalog/service/${encodeURIComponent(p)}`;
      const res = await this.#send({ method: 'GET', path, query: ns });
      this.#assertComplete(
        res,
        path,
        `the catalog entry of proxy ${JSON.stringify(p)}${inNamespace(namespace)}`,
        resourceListPermission('service'),
        namespace,
        dc,
      );
      for (const n of this.#parse(res, CatalogServiceNodeListSchema, 'GET', path)) {
        const d = n.ServiceProxy?.DestinationServiceName;
        if (n.ServiceKind === 'connect-proxy' && d) destinations.add(d);
      }
    }
    return [...destinations].sort();
  }

  async #catalogServices(filter: string, namespace?: string, dc?: string): Promise<Record<string, unknown>> {
    const path = '/v1/catalog/services';
    const res = await this.#send({ method: 'GET', path, query: { filter, ...(namespace ? { ns: namespace } : {}), ...(dc ? { dc } : {}) } });
    // A proxy hidden by ACLs would pass for "no sidecar": the advisor would skip a permissive service.
    this.#assertComplete(res, path, `the catalog of sidecar proxies${inNamespace(namespace)}`, resourceListPermission('service'), namespace, dc);
    return this.#parse(res, CatalogServicesSchema, 'GET', path);
  }

  /**
   * `GET /v1/namespaces` (Enterprise): the names of every namespace of the client's partition, what
   * `namespaces: all` covers where an API takes no `ns=*`. Consul filters the list by the token
   * (docs: commands/namespace/list, "operator:read privileges or any read privileges within the
   * target namespaces ... possible to see a partial list"); a list flagged as filtered throws
   * `incomplete-read`, so a hidden namespace stops the caller instead of being skipped.
   */
  async namespaceNames(): Promise<string[]> {
    const path = '/v1/namespaces';
    const res = await this.#send({ method: 'GET', path });
    this.#assertComplete(res, path, 'the list of namespaces', {
      permission: 'operator:read (or read access in every namespace)',
      rule: 'operator = "read"',
    });
    return this.#parse(res, NamespaceListSchema, 'GET', path)
      .map((n) => n.Name)
      .sort();
  }

  // ---- security posture (agent, ACL token, CA) -------------------------------------------------

  /**
   * `GET /v1/agent/self`: the agent's gossip, RPC TLS and sidecar-port settings. Needs agent:read
   * on the agent's node (a 403 is a `permission` ConsulError).
   */
  async agentSelf(): Promise<AgentSecurity> {
    const path = '/v1/agent/self';
    const res = await this.#send({ method: 'GET', path });
    const self = this.#parse(res, AgentSelfSchema, 'GET', path);
    const debug = self.DebugConfig;
    const rpc = debug?.TLS?.InternalRPC;
    const encrypted = self.Stats?.serf_lan?.encrypted;
    const wanEncrypted = self.Stats?.serf_wan?.encrypted;
    // A flag counts only when both are there: one missing says nothing about whether plaintext is refused.
    const verify = debug?.StaticRuntimeConfig ?? debug;
    const verifyIn = verify?.EncryptVerifyIncoming;
    const verifyOut = verify?.EncryptVerifyOutgoing;
    // Before 1.12 the flags were RuntimeConfig's own; verify_incoming_rpc alone also covered RPC.
    const flat = debug && debug.TLS === undefined && debug.VerifyOutgoing !== undefined;
    return {
      nodeName: self.Config?.NodeName ?? '',
      gossipEncrypted: encrypted === undefined ? undefined : encrypted === 'true',
      gossipWanEncrypted: wanEncrypted === undefined ? undefined : wanEncrypted === 'true',
      gossipVerify: verifyIn === undefined || verifyOut === undefined ? undefined : { incoming: verifyIn, outgoing: verifyOut },
      rpcTls: rpc
        ? { verifyIncoming: rpc.VerifyIncoming === true, verifyOutgoing: rpc.VerifyOutgoing === true, verifyServerHostname: rpc.VerifyServerHostname === true }
        : flat
          ? {
              verifyIncoming: debug.VerifyIncoming === true || debug.VerifyIncomingRPC === true,
              verifyOutgoing: debug.VerifyOutgoing === true,
              verifyServerHostname: debug.VerifyServerHostname === true,
            }
          : undefined,
      sidecarPorts:
        self.DebugConfig?.ConnectSidecarMinPort === undefined
          ? undefined
          : { min: self.DebugConfig.ConnectSidecarMinPort, max: self.DebugConfig.ConnectSidecarMaxPort ?? 0 },
    };
  }

  /**
   * `GET /v1/agent/self` → `Config.Version`: the Consul version of the agent answering (a client
   * agent may differ from the servers during an upgrade). Needs agent:read on its node (a 403 is a
   * `permission` ConsulError); undefined when the body has no version.
   */
  async agentVersion(): Promise<string | undefined> {
    const path = '/v1/agent/self';
    const res = await this.#send({ method: 'GET', path });
    return this.#parse(res, AgentVersionSchema, 'GET', path).Config?.Version;
  }

  /**
   * `GET /v1/acl/token/self`: who this client is. 401 `ACL support disabled` means ACLs are off; 403
   * (`ACL not found`) that the secret sent (or none) names no token. `defaultPolicy` is the
   * `X-Consul-Default-ACL-Policy` header agent/http.go sets on every response.
   */
  async aclTokenSelf(): Promise<AclTokenSelf> {
    const path = '/v1/acl/token/self';
    const res = await this.#send({ method: 'GET', path, accept: [401, 403] });
    const defaultPolicy = header(res.headers, 'x-consul-default-acl-policy')?.toLowerCase() === 'deny' ? 'deny' : 'allow';
    if (res.status === 401) return { aclsEnabled: false, defaultPolicy };
    if (res.status === 403) return { aclsEnabled: true, defaultPolicy, token: undefined };
    const t = this.#parse(res, AclTokenSelfSchema, 'GET', path);
    return {
      aclsEnabled: true,
      defaultPolicy,
      token: { accessorId: t.AccessorID, policies: (t.Policies ?? []).map((p) => ({ id: p.ID, name: p.Name ?? '' })) },
    };
  }

  /** `GET /v1/connect/ca/configuration`: the Connect CA provider (`consul` = built-in). Needs operator:read. */
  async caProvider(): Promise<string> {
    const path = '/v1/connect/ca/configuration';
    const res = await this.#send({ method: 'GET', path });
    return this.#parse(res, CaConfigurationSchema, 'GET', path).Provider;
  }

  /**
   * `POST /v1/internal/acl/authorize`: would this token (or, with `anonymous`, a request without
   * one) be allowed each of `checks`? undefined when ACLs are disabled (everything is allowed).
   */
  async authorize(
    checks: { resource: string; segment?: string; access: 'read' | 'write' }[],
    opts: { anonymous?: boolean } = {},
  ): Promise<boolean[] | undefined> {
    const path = '/v1/internal/acl/authorize';
    const body = stringifyApiJson(
      checks.map((c) => ({ Resource: c.resource, Segment: c.segment ?? '', Access: c.access })),
      0,
    );
    const res = await this.#send({ method: 'POST', path, body, accept: [401], anonymous: opts.anonymous === true });
    if (res.status === 401) return undefined;
    return this.#parse(res, AuthorizeResponseSchema, 'POST', path).map((a) => a.Allow);
  }

  /** `PUT /v1/catalog/register` (demo and tests). */
  async registerCatalog(body: Record<string, unknown>): Promise<boolean> {
    const res = await this.#send({ method: 'PUT', path: '/v1/catalog/register', body: stringifyApiJson(body, 0) });
    return this.#writeResult(res, 'PUT', '/v1/catalog/register');
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * `?ns=`/`?partition=` for one entry's scope. An empty one, or `default` when the client names
   * none of its own, is left out: Consul CE answers 400 to any `ns` or `partition` parameter, even
   * `default` (agent/http_ce.go parseEntMeta), and Enterprise reads an omitted one as `default`.
   */
  #scopeQuery(scope: EntryScope): Record<string, string | undefined> {
    const pick = (own: string | undefined, asked: string | undefined) =>
      asked === undefined || asked === '' || (own === undefined && asked.toLowerCase() === 'default') ? undefined : asked;
    const ns = pick(this.options.namespace, scope.namespace);
    const partition = pick(this.options.partition, scope.partition);
    return { ...(ns ? { ns } : {}), ...(partition ? { partition } : {}) };
  }

  #send(req: ExchangeRequest): Promise<ExchangeResponse> {
    const { datacenter, namespace, partition } = this.options;
    const q = req.query ?? {};
    // Object.assign and then the keys: what `{ ...req, query: { ...q, dc, ns, partition } }` gives,
    // without V8's slow path for a spread followed by more keys (about 10 µs a request).
    const query: Record<string, string | undefined> = Object.assign({}, q);
    // A read of another federated datacenter names it; every other request goes to the client's.
    query.dc = q.dc ?? datacenter;
    query.ns = q.ns ?? namespace;
    query.partition = q.partition ?? partition;
    const sent: ExchangeRequest = Object.assign({}, req);
    sent.query = query;
    return this.#transport.exchange(sent);
  }

  async #resolveToken(): Promise<string | undefined> {
    const { token, tokenFile, tokenFileFrom } = this.options;
    // Whichever way the token came (the environment, a target's tokenEnv, a secret store), it is a secret of this process.
    knownSecrets.add(token, 'the Consul token');
    this.#resolvedToken = token;
    if (!tokenFile) return token;
    let text: string;
    try {
      text = await this.#readTokenFile(tokenFile);
    } catch (e) {
      // The path and who named it, so a careless relative path is found; never the file's contents.
      const from = tokenFileFrom ? ` (${tokenFileFrom})` : '';
      throw new ConsulOptionsError(`cannot read the Consul token file ${tokenFile}${from}: ${whyUnreadable(e)}`);
    }
    knownSecrets.add(text.trim(), `Consul token file ${tokenFile}`);
    this.#resolvedToken = text.trim() || token;
    return this.#resolvedToken;
  }

  /** Every list answer passes here before it is believed (complete-read.ts). */
  #assertComplete(res: ExchangeResponse, path: string, what: string, needs: NeededPermission | undefined, listedNamespace?: string, dc?: string): void {
    const { partition } = this.options;
    const datacenter = dc ?? this.options.datacenter;
    const namespace = listedNamespace || this.options.namespace;
    const query = new URLSearchParams(
      Object.entries({ dc: datacenter, ns: namespace, partition }).filter((e): e is [string, string] => e[1] !== undefined),
    ).toString();
    assertCompleteRead(res, { method: 'GET', path: query ? `${path}?${query}` : path, what, needs, tokenSent: Boolean(this.#resolvedToken) });
  }

  /** `asIs`: the parsed JSON itself when it already has the schema's output shape (no copy), else undefined. */
  #parse<S extends z.ZodMiniType>(
    res: ExchangeResponse,
    schema: S,
    method: string,
    path: string,
    asIs?: (json: unknown) => z.output<S> | undefined,
  ): z.output<S> {
    let json: unknown;
    try {
      json = parseConsulJson(res.text);
    } catch (e) {
      throw this.#protocolError(res, method, path, `response is not JSON: ${(e as Error).message}`);
    }
    const same = asIs?.(json);
    if (same) return same;
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const first = parsed.error.issues[0];
    throw this.#protocolError(res, method, path, `unexpected response shape at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }

  #writeResult(res: ExchangeResponse, method: string, path: string): boolean {
    const body = res.text.trim();
    // DELETE without cas answers `{}` (agent/config_endpoint.go ConfigDelete returns struct{}{} for backwards compatibility).
    const value = body === 'true' || body === '{}' ? true : body === 'false' ? false : undefined;
    if (value === undefined) throw this.#protocolError(res, method, path, `expected true or false, got ${JSON.stringify(body.slice(0, 100))}`);
    if (!value && res.ambiguous) {
      throw new ConsulError({
        kind: 'conflict',
        message: 'Consul answered false to a write that was retried after an attempt with an unknown outcome; the first attempt may have been applied',
        method,
        path,
        status: res.status,
        ambiguous: true,
        attempts: res.attempts,
      });
    }
    return value;
  }

  #protocolError(res: ExchangeResponse, method: string, path: string, message: string): ConsulError {
    return new ConsulError({ kind: 'protocol', message: redact(message, this.#resolvedToken), method, path, status: res.status, attempts: res.attempts });
  }
}

export interface AgentSecurity {
  nodeName: string;
  /** undefined: the agent did not say (no serf_lan stats). */
  gossipEncrypted: boolean | undefined;
  /** `Stats.serf_wan.encrypted`: only servers join the WAN pool; undefined on a client agent. */
  gossipWanEncrypted: boolean | undefined;
  /** `encrypt_verify_incoming`/`_outgoing`; undefined when the agent does not show both. */
  gossipVerify: { incoming: boolean; outgoing: boolean } | undefined;
  rpcTls: { verifyIncoming: boolean; verifyOutgoing: boolean; verifyServerHostname: boolean } | undefined;
  sidecarPorts: { min: number; max: number } | undefined;
}

export type AclTokenSelf =
  | { aclsEnabled: false; defaultPolicy: 'allow' | 'deny' }
  | { aclsEnabled: true; defaultPolicy: 'allow' | 'deny'; token: { accessorId: string; policies: { id: string; name: string }[] } | undefined };

/** The name Consul gives a sidecar registered without one (agent/sidecar_service.go). */
const inNamespace = (namespace: string | undefined) => (namespace ? ` in namespace ${JSON.stringify(namespace)}` : '');
const SIDECAR_SUFFIX = '-sidecar-proxy';
const CONFIRM_BATCH = 50;

/** A double-quoted go-bexpr string. */
/**
 * A bexpr string literal for `s`, or undefined when go-bexpr's grammar has none: a double-quoted one
 * cannot hold a `"` even escaped (DoubleStringChar <- !'"' .), so such a name is a raw backtick
 * string, which cannot hold a backtick. Double-quoted text is strconv.Unquote'd: `\\` and a line break escaped.
 */
function bexprString(s: string): string | undefined {
  if (!s.includes('"')) return `"${s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}"`;
  return s.includes('`') ? undefined : `\`${s}\``;
}

function entryPath(kind: string, name: string): string {
  return `/v1/config/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
}

function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The JSON body of a PUT: plain JSON.stringify, the same text as stringifyApiJson without its
 * replacer (a function call per value, on every write of an apply), unless the entry holds a
 * bigint (a 64-bit integer from a file), which only stringifyApiJson writes.
 */
function entryBody(entry: ApiEntry): string {
  try {
    return JSON.stringify(entry);
  } catch {
    return stringifyApiJson(entry, 0);
  }
}

function casQuery(opts: CasOption): Record<string, string | undefined> {
  if (opts.cas === undefined) return {};
  if (!Number.isSafeInteger(opts.cas) || opts.cas < 0) throw new ConsulGitopsError('internal', `cas must be a non-negative integer, got ${opts.cas}`);
  return { cas: String(opts.cas) };
}

function indexOf(res: ExchangeResponse): number {
  const raw = header(res.headers, 'x-consul-index');
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
