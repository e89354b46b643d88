// How Consul's GET serialises a stored entry: `encoding/json` of the server structs, so struct-typed
// fields and fields without `omitempty` come back as zero noise (`"TransparentProxy": {}`,
// `"Protocol": ""`, `"Config": null`…), plus `Hash` (a uint64 beyond 2^53) and the raft indexes.
// consul-config-api.md §2.3. The store keeps entries with zero values omitted; this adds the noise.
import type { ApiEntry } from '../model/kind-definition.ts';
import type { StoredEntry } from './state.ts';

/** Per kind: top-level fields in Go struct order; a value means "always present, this when unset". */
type Template = [field: string, zero?: unknown][];

const ABSENT = undefined;

const TEMPLATES: Record<string, Template> = {
  'service-defaults': [
    ['Kind'], ['Name'], ['Protocol', ''], ['Mode'], ['TransparentProxy', {}], ['MutualTLSMode'], ['MeshGateway', {}],
    ['Expose', {}], ['ExternalSNI'], ['UpstreamConfig'], ['Destination'], ['MaxInboundConnections'], ['LocalConnectTimeoutMs'],
    ['LocalRequestTimeoutMs'], ['BalanceInboundConnections'], ['RateLimits'], ['EnvoyExtensions'], ['Meta'],
  ],
  'proxy-defaults': [
    ['Kind'], ['Name'], ['Config', null], ['Mode'], ['TransparentProxy', {}], ['MutualTLSMode'], ['MeshGateway', {}],
    ['Expose', {}], ['AccessLogs', {}], ['EnvoyExtensions'], ['FailoverPolicy'], ['PrioritizeByLocality'], ['Meta'],
  ],
  mesh: [
    ['Kind'], ['TransparentProxy', {}], ['AllowEnablingPermissiveMutualTLS'], ['ValidateClusters'], ['TLS'], ['HTTP'],
    ['Peering'], ['Meta'],
  ],
  'service-intentions': [['Kind'], ['Name'], ['Sources', null], ['JWT'], ['Meta']],
  'service-router': [['Kind'], ['Name'], ['Routes', null], ['Meta']],
  'service-splitter': [['Kind'], ['Name'], ['Splits', null], ['Meta']],
  'ingress-gateway': [['Kind'], ['Name'], ['TLS', {}], ['Listeners', null], ['Defaults'], ['Meta']],
  'terminating-gateway': [['Kind'], ['Name'], ['Services', null], ['Meta']],
};

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Kind-specific inner zero noise. */
function innerNoise(kind: string, out: Record<string, unknown>): void {
  if (kind === 'service-defaults') {
    const up = out.UpstreamConfig as { Overrides?: unknown[]; Defaults?: unknown } | undefined;
    if (up) {
      const fix = (u: unknown) => withFirst(obj(u), [['Peer', ''], ['MeshGateway', {}]], 'Name');
      const next: Record<string, unknown> = {};
      if (up.Overrides) next.Overrides = up.Overrides.map(fix);
      if (up.Defaults) next.Defaults = fix(up.Defaults);
      out.UpstreamConfig = next;
    }
  }
  if (kind === 'mesh') out.TransparentProxy = { MeshDestinationsOnly: false, ...obj(out.TransparentProxy) };
  if (kind === 'service-intentions' && Array.isArray(out.Sources)) {
    out.Sources = out.Sources.map((s) => {
      // SourceIntention field order: …, Action, Permissions, Precedence, LegacyID, Type, Description, …
      const src = obj(s);
      const out: Record<string, unknown> = {};
      for (const k of ['Name', 'Peer', 'SamenessGroup', 'Action', 'Permissions']) if (k in src) out[k] = src[k];
      out.Precedence = src.Precedence ?? 0;
      out.Type = src.Type ?? '';
      for (const [k, v] of Object.entries(src)) if (!(k in out)) out[k] = v;
      return out;
    });
  }
  if (kind === 'ingress-gateway') {
    out.TLS = { Enabled: false, ...obj(out.TLS) };
    if (Array.isArray(out.Listeners))
      out.Listeners = out.Listeners.map((l) => {
        const lis = obj(l);
        const services = Array.isArray(lis.Services) ? lis.Services.map((s) => ({ ...obj(s), Hosts: obj(s).Hosts ?? null })) : null;
        return { ...lis, Services: services };
      });
  }
}

/** Inserts `defaults` (keeping given values) right after field `after`, preserving the rest. */
function withFirst(src: Record<string, unknown>, defaults: [string, unknown][], after: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(src);
  if (!keys.includes(after)) for (const [k, v] of defaults) out[k] = src[k] ?? v;
  for (const k of keys) {
    if (defaults.some(([d]) => d === k) && k in out) continue;
    out[k] = src[k];
    if (k === after) for (const [d, v] of defaults) out[d] = src[d] ?? v;
  }
  return out;
}

/** The JSON object Consul's GET returns for a stored entry (bigint Hash: print with stringifyApiJson). */
export function responseShape(stored: StoredEntry): Record<string, unknown> {
  const entry: ApiEntry = stored.entry;
  const template = TEMPLATES[entry.Kind];
  const out: Record<string, unknown> = {};
  if (template) {
    for (const [field, zero] of template) {
      if (field in entry) out[field] = entry[field];
      else if (zero !== ABSENT) out[field] = structuredClone(zero);
    }
    for (const [k, v] of Object.entries(entry)) if (!(k in out) && !(kindHasNoName(entry.Kind) && k === 'Name')) out[k] = v;
    // Meta sits just before Hash in every server struct.
    if ('Meta' in out) {
      const meta = out.Meta;
      delete out.Meta;
      out.Meta = meta;
    }
  } else {
    Object.assign(out, entry);
  }
  innerNoise(entry.Kind, out);
  out.Hash = stored.hash;
  out.CreateIndex = stored.createIndex;
  out.ModifyIndex = stored.modifyIndex;
  return out;
}

function kindHasNoName(kind: string): boolean {
  return kind === 'mesh';
}

/** FNV-1a 64 over a canonical JSON text, top bit set so it is always beyond 2^53 (like real hashes). */
export function entryHash(entry: ApiEntry): bigint {
  const text = canonicalJson(entry);
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * prime) & mask;
  }
  return h | (1n << 63n);
}

export function canonicalJson(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
