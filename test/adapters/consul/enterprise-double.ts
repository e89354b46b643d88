// A loopback double of Consul Enterprise's config-entry API, one partition (`default`), as the API
// docs and Consul's Enterprise-visible source say it answers (docs/enterprise.md): entries carry
// `Partition`/`Namespace` filled with `default`; `GET /v1/config/:kind?ns=*` lists every namespace
// (agent/config_endpoint.go configGet → parseEntMeta, which accepts the wildcard); reads, writes and
// deletes by name take `?ns=` (parseEntMetaNoWildcard); an omitted `ns` is `default` (the token has
// no namespace here). Namespaces in `hidden` are what the token may not read: a list that would
// include them leaves them out and says `X-Consul-Results-Filtered-By-ACLs: true`, as Consul does.
// It refuses what Enterprise refuses inside a write where a test needs it: a member shared by two
// sameness groups, an intention naming a jwt-provider its partition does not hold (each below, with
// where in Consul's source it was read). It is not the dev server: the dev server stays CE.
import { startFakeHttp, type FakeHttp, type RecordedRequest, type Reply } from './fake-http.ts';
import { fieldText } from '../../../src/model/field-text.ts';

export interface EnterpriseDouble {
  http: FakeHttp;
  url: string;
  /** kind/namespace/name → entry (with Partition, Namespace, CreateIndex, ModifyIndex). */
  entries: Map<string, Record<string, unknown>>;
  put(entry: Record<string, unknown>): void;
  close(): Promise<void>;
}

const key = (kind: string, ns: string, name: string) => `${kind}/${ns.toLowerCase()}/${name.toLowerCase()}`;

export interface EnterpriseDoubleOptions {
  hidden?: string[];
  version?: string;
  /** Services with a `<service>-sidecar-proxy` in the `default` namespace. */
  sidecars?: string[];
  /** Namespace → services with a sidecar there (besides `sidecars` in `default`); also what `GET /v1/namespaces` lists. */
  sidecarsIn?: Record<string, string[]>;
}

export async function startEnterpriseDouble(opts: EnterpriseDoubleOptions = {}): Promise<EnterpriseDouble> {
  const http = await startFakeHttp();
  const entries = new Map<string, Record<string, unknown>>();
  const kv = new Map<string, { value: string; index: number }>();
  let index = 10;
  const hidden = new Set(opts.hidden ?? []);
  const json = (body: unknown, headers: Record<string, string> = {}): Reply => ({
    status: 200,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-consul-index': String(index), ...headers },
  });

  // One partition: the entry's own, else `?partition=`, else `default`; reads and lists ignore it.
  const put = (entry: Record<string, unknown>, ns?: string, partition?: string) => {
    const namespace = fieldText(entry.Namespace) || ns || 'default';
    const k = key(String(entry.Kind), namespace, String(entry.Name));
    const old = entries.get(k);
    index++;
    entries.set(k, {
      ...entry,
      Partition: fieldText(entry.Partition) || partition || 'default',
      Namespace: namespace,
      CreateIndex: old?.CreateIndex ?? index,
      ModifyIndex: index,
    });
  };

  http.fallback((req: RecordedRequest): Reply => {
    const url = new URL(req.url, 'http://double');
    const ns = url.searchParams.get('ns') ?? undefined;
    const cas = url.searchParams.get('cas');
    if (url.pathname === '/v1/agent/self') return json({ Config: { Version: opts.version ?? '1.22.0+ent', NodeName: 'ent-1' } });
    // A Consul without WAN federation lists its own datacenter alone, to any token (ListDatacenters).
    if (url.pathname === '/v1/catalog/datacenters') return json(['dc1']);
    // The catalog's connect-proxy services of one namespace (`?ns=`, else `default`), each `<service>-sidecar-proxy`
    // (`advise` reads them for inherited modes). A hidden namespace's proxies are left out with the ACL header,
    // as Consul's Catalog.ServiceList filters them (agent/consul/catalog_endpoint.go, QueryMeta.ResultsFilteredByACLs).
    if (url.pathname === '/v1/catalog/services') {
      const space = (ns ?? 'default').toLowerCase();
      const services = space === 'default' ? [...(opts.sidecars ?? []), ...(opts.sidecarsIn?.default ?? [])] : (opts.sidecarsIn?.[space] ?? []);
      if (hidden.has(space)) return json({}, services.length ? { 'x-consul-results-filtered-by-acls': 'true' } : {});
      // Its sidecars are registered without a mode of their own: the audit's permissive filter matches none.
      if (url.searchParams.get('filter')?.includes('ServiceProxy.MutualTLSMode == "permissive"')) return json({});
      return json(Object.fromEntries(services.map((s) => [`${s}-sidecar-proxy`, []])));
    }
    // `GET /v1/namespaces`: every namespace of the partition the token may read (namespace:read), hidden ones left out.
    if (url.pathname === '/v1/namespaces') {
      const all = [...new Set(['default', ...Object.keys(opts.sidecarsIn ?? {}), ...[...entries.values()].map((e) => String(e.Namespace))])];
      const visible = all.filter((n) => !hidden.has(n));
      return json(
        visible.map((Name) => ({ Name, Description: '', Partition: 'default', CreateIndex: 1, ModifyIndex: 1 })),
        visible.length < all.length ? { 'x-consul-results-filtered-by-acls': 'true' } : {},
      );
    }
    if (url.pathname.startsWith('/v1/kv/')) {
      const k = url.pathname.slice('/v1/kv/'.length);
      if (req.method === 'GET') {
        const v = kv.get(k);
        return v
          ? json([{ Key: k, Value: Buffer.from(v.value).toString('base64'), CreateIndex: v.index, ModifyIndex: v.index, LockIndex: 0, Flags: 0 }])
          : { status: 404, body: '' };
      }
      kv.set(k, { value: req.body, index: ++index });
      return json(true);
    }
    if (url.pathname === '/v1/config' && req.method === 'PUT') {
      const entry = JSON.parse(req.body) as Record<string, unknown>;
      const k = key(String(entry.Kind), fieldText(entry.Namespace) || ns || 'default', String(entry.Name));
      if (cas !== null && Number(cas) !== Number(entries.get(k)?.ModifyIndex ?? 0)) return json(false);
      // exported-services is named after its partition (docs/enterprise.md); the wording is not Enterprise's own.
      const partition = fieldText(entry.Partition) || url.searchParams.get('partition') || 'default';
      if (entry.Kind === 'exported-services' && entry.Name !== partition)
        return { status: 500, body: `exported-services Name must be "${partition}", the name of its partition` };
      if (entry.Kind === 'sameness-group') {
        const shared = samenessMemberShared(entry, partition, [...entries.values()]);
        if (shared) return { status: 500, body: shared };
      }
      if (entry.Kind === 'service-intentions') {
        const missing = missingJwtProviders(entry, partition, [...entries.values()]);
        if (missing) return { status: 500, body: missing };
      }
      put(entry, ns, partition);
      return json(true);
    }
    const [kind, name] = url.pathname.slice('/v1/config/'.length).split('/').map(decodeURIComponent);
    if (!kind) return { status: 404, body: 'not found' };
    if (name === undefined) {
      const all = [...entries.values()].filter((e) => e.Kind === kind && (ns === '*' || String(e.Namespace) === (ns ?? 'default')));
      const visible = all.filter((e) => !hidden.has(String(e.Namespace)));
      return json(visible, visible.length < all.length ? { 'x-consul-results-filtered-by-acls': 'true' } : {});
    }
    if (ns === '*') return { status: 400, body: 'Invalid query parameter: "ns" - wildcard not allowed' };
    const k = key(kind, ns ?? 'default', name);
    if (req.method === 'GET') return entries.has(k) ? json(entries.get(k)) : { status: 404, body: `Config entry not found for "${kind}" / "${name}"` };
    if (req.method === 'DELETE') {
      if (cas !== null && Number(cas) !== Number(entries.get(k)?.ModifyIndex ?? -1)) return json(false);
      entries.delete(k);
      index++;
      return json(cas !== null ? true : {});
    }
    return { status: 405, body: 'method not allowed' };
  });

  return { http, url: http.url, entries, put: (e) => put(e), close: () => http.close() };
}

/**
 * Consul's check that a member belongs to one sameness group only, as agent/consul/state/config_entry.go
 * validateProposedConfigEntryInGraph (`case structs.SamenessGroup`) makes it: the partition's groups
 * by name, the written one in its place or appended, each group's members (IncludeLocal: the local
 * partition first, as the sameness-group reference documents it); a member with a Peer is that peer,
 * any other its Partition; the first seen twice is refused with Consul's text.
 */
function samenessMemberShared(entry: Record<string, unknown>, partition: string, stored: Record<string, unknown>[]): string | undefined {
  const groups = stored
    .filter((e) => e.Kind === 'sameness-group' && String(e.Partition).toLowerCase() === partition.toLowerCase())
    .sort((a, b) => (String(a.Name).toLowerCase() < String(b.Name).toLowerCase() ? -1 : 1));
  const at = groups.findIndex((g) => g.Name === entry.Name);
  if (at >= 0) groups[at] = entry;
  else groups.push(entry);
  const peers = new Map<string, string>();
  const partitions = new Map<string, string>();
  for (const g of groups) {
    const name = String(g.Name);
    const members = [...(g.IncludeLocal === true ? [{ Partition: partition }] : []), ...((g.Members as Record<string, unknown>[] | undefined) ?? [])];
    for (const m of members) {
      const peer = fieldText(m.Peer);
      const seen = peer ? peers : partitions;
      const key = peer || fieldText(m.Partition);
      const prev = seen.get(key);
      if (prev !== undefined)
        return `members can only belong to a single sameness group, but ${peer ? 'cluster peer' : 'partition'} ${JSON.stringify(key)} is shared between groups ${JSON.stringify(prev)} and ${JSON.stringify(name)}`;
      seen.set(key, name);
    }
  }
  return undefined;
}

/**
 * Consul's check that every jwt-provider an intention names is stored, as agent/consul/state/config_entry.go
 * validateJWTProvidersExist makes it inside the write (whatever the intention's namespace): the names
 * in `JWT.Providers` and in each source permission's `JWT.Providers`, against the providers listed in
 * the intention's partition, default namespace (getExistingJWTProvidersByName: keyed by their exact
 * Name); one error per missing name in a multierror (Consul walks a Go map: sorted here).
 */
function missingJwtProviders(entry: Record<string, unknown>, partition: string, stored: Record<string, unknown>[]): string | undefined {
  type Jwt = { Providers?: { Name?: unknown }[] } | undefined;
  const named = new Set<string>();
  const add = (jwt: Jwt) => {
    for (const p of jwt?.Providers ?? []) named.add(fieldText(p?.Name));
  };
  add(entry.JWT as Jwt);
  for (const s of (entry.Sources as { Permissions?: { JWT?: Jwt }[] }[] | undefined) ?? []) for (const perm of s?.Permissions ?? []) add(perm?.JWT);
  if (named.size === 0) return undefined;
  const held = new Set(
    stored.filter((e) => e.Kind === 'jwt-provider' && String(e.Partition).toLowerCase() === partition.toLowerCase()).map((e) => String(e.Name)),
  );
  const missing = [...named].filter((n) => !held.has(n)).sort();
  if (missing.length === 0) return undefined;
  const lines = missing.map((n) => `\t* Referenced JWT Provider does not exist. Provider Name: ${n}\n`).join('');
  return `${missing.length} error${missing.length > 1 ? 's' : ''} occurred:\n${lines}\n`;
}
