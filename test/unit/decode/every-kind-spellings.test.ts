// Decode vectors for every kind in the four ways a user writes an entry: HCL with Consul's
// snake_case aliases (src/model/consul-aliases.ts), HCL in CamelCase, JSON, and a consul-k8s CRD.
// All four must render to the same entry, through the CLI's `render`, as `consul config write`
// (command/helpers/helpers_test.go TestParseConfigEntry: snake_case and CamelCase cases side by side)
// and consul-k8s's ToConsul methods decode them.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CONSUL_ALIASES } from '../../../src/model/consul-aliases.ts';
import { fieldSpec, type FieldType } from '../../../src/model/field-types.ts';
import { KINDS, kindDefinition } from '../../../src/model/registry.ts';
import { camelCase } from '../../../src/core/import/ordered-value.ts';
import { EVERY_KIND } from '../../fixtures/import/every-kind.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

/** Kinds EVERY_KIND lacks, and fields the import fixture does not reach (aliased ones above all). */
const MORE: Record<string, unknown>[] = [
  { Kind: 'sameness-group', Name: 'east', DefaultForFailover: true, IncludeLocal: true, Members: [{ Partition: 'default' }, { Peer: 'west' }] },
  { Kind: 'control-plane-request-limit', Name: 'global', Mode: 'permissive', ReadRate: 100, WriteRate: 50, KV: { ReadRate: 10, WriteRate: 5 } },
  {
    Kind: 'http-route',
    Name: 'shop',
    Parents: [{ Kind: 'api-gateway', Name: 'gw', SectionName: 'http' }],
    Hostnames: ['shop.example.com'],
    Rules: [
      {
        Matches: [{ Method: 'GET', Path: { Match: 'prefix', Value: '/cart' } }],
        Filters: { RetryFilter: { NumRetries: 3, RetryOnConnectFailure: true }, TimeoutFilter: { RequestTimeout: 5_000_000_000 } },
        Services: [
          { Name: 'cart', Weight: 90 },
          { Name: 'cart-v2', Weight: 10 },
        ],
      },
    ],
  },
  {
    Kind: 'api-gateway',
    Name: 'edge-gw',
    TLS: {
      Enabled: true,
      TLSMinVersion: 'TLSv1_2',
      TLSMaxVersion: 'TLSv1_3',
      CipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      SDS: { ClusterName: 'sds-cluster', CertResource: 'edge-default' },
    },
    Listeners: [
      {
        Name: 'https',
        Port: 8443,
        Protocol: 'http',
        MaxRequestHeadersKB: 96,
        TLS: { MinVersion: 'TLSv1_2', CipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], SDS: { ClusterName: 'sds-cluster', CertResource: 'edge-cert' } },
      },
    ],
    Defaults: { MaxConnections: 7, MaxPendingRequests: 8, PassiveHealthCheck: { MaxFailures: 3, EnforcingConsecutive5xx: 90 } },
  },
  {
    Kind: 'http-route',
    Name: 'edge-web',
    Parents: [{ Kind: 'api-gateway', Name: 'edge-gw', SectionName: 'https' }],
    Rules: [{ Services: [{ Name: 'web', TLS: { SDS: { ClusterName: 'sds-cluster', CertResource: 'web-cert' } }, Limits: { MaxConcurrentRequests: 9 } }] }],
  },
  {
    Kind: 'tcp-route',
    Name: 'db',
    Parents: [{ Kind: 'api-gateway', Name: 'gw', SectionName: 'tcp' }],
    Services: [{ Name: 'postgres', TLS: { SDS: { ClusterName: 'sds-cluster', CertResource: 'db-cert' } }, Limits: { MaxConnections: 20 } }],
  },
  {
    Kind: 'service-defaults',
    Name: 'edge',
    Protocol: 'http',
    MaxInboundConnections: 100,
    // Issue 11 class 2's newest fields (docs/fidelity.md), in all four spellings too.
    MaxRequestHeadersKB: 96,
    UpstreamConfig: {
      Overrides: [
        {
          Name: 'db',
          ConnectTimeoutMs: 1000,
          Limits: { MaxConnections: 10, MaxPendingRequests: 20, PassiveHealthCheck: { MaxFailures: 2, ConsecutiveGatewayFailure: 4 } },
          PassiveHealthCheck: {
            MaxFailures: 5,
            EnforcingConsecutive5xx: 80,
            MaxEjectionPercent: 50,
            Consecutive5xx: 6,
            ConsecutiveGatewayFailure: 3,
            EnforcingConsecutiveGatewayFailure: 70,
          },
        },
      ],
    },
  },
  {
    Kind: 'terminating-gateway',
    Name: 'tgw',
    Services: [{ Name: 'legacy', CAFile: '/ca.pem', CertFile: '/c.pem', KeyFile: '/k.pem', DisableAutoHostRewrite: true }],
  },
];

const SAMPLES = [...EVERY_KIND, ...MORE] as (Record<string, unknown> & { Kind: string })[];

function childType(t: FieldType): { type: FieldType; suffix: string } | undefined {
  if (t.t === 'list') return { type: t.of, suffix: '[]' };
  if (t.t === 'map') return { type: t.of, suffix: '{}' };
  return undefined;
}

/** HCL1 text of a value; struct keys renamed by `key(path, name)`, map keys quoted verbatim. */
function hcl(value: unknown, type: FieldType | undefined, path: string, key: (path: string, name: string) => string, indent: string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const c = type ? childType(type) : undefined;
    return `[\n${value.map((v) => `${inner}${hcl(v, c?.type, `${path}${c?.suffix ?? ''}`, key, inner)},`).join('\n')}\n${indent}]`;
  }
  const record = value as Record<string, unknown>;
  const lines = Object.entries(record).map(([k, v]) => {
    if (type?.t === 'object') {
      const f = fieldSpec(type.fields[k]).type;
      const p = path ? `${path}.${k}` : k;
      const c = childType(f);
      return `${inner}${key(p, k)} = ${hcl(v, c && Array.isArray(v) ? f : f, p, key, inner)}`;
    }
    const c = type?.t === 'map' ? { type: type.of, suffix: '{}' } : undefined;
    return `${inner}${JSON.stringify(k)} = ${hcl(v, c?.type, `${path}${c?.suffix ?? ''}`, key, inner)}`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function hclDocument(entry: Record<string, unknown> & { Kind: string }, key: (path: string, name: string) => string): string {
  const def = kindDefinition(entry.Kind)!;
  const type: FieldType = { t: 'object', fields: def.fields };
  return Object.entries(entry)
    .map(([k, v]) => (k === 'Kind' ? `Kind = ${JSON.stringify(v)}` : `${key(k, k)} = ${hcl(v, fieldSpec(type.fields[k]).type, k, key, '')}`))
    .join('\n');
}

/** consul-k8s spec keys: camelCase struct keys, map keys verbatim. */
function crdValue(value: unknown, type: FieldType | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => crdValue(v, type?.t === 'list' ? type.of : undefined));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (type?.t === 'object') out[camelCase(k)] = crdValue(v, fieldSpec(type.fields[k]).type);
    else out[k] = crdValue(v, type?.t === 'map' ? type.of : undefined);
  }
  return out;
}

function crdDocument(entry: Record<string, unknown> & { Kind: string }): string | undefined {
  const def = kindDefinition(entry.Kind)!;
  if (!def.crdKind) return undefined;
  const { Kind: _k, Name, ...rest } = entry;
  const spec = crdValue(rest, { t: 'object', fields: def.fields }) as Record<string, unknown>;
  if (def.kind === 'service-intentions') spec.destination = { name: Name };
  const name = def.nameRule.rule === 'fixed' ? def.nameRule.name : def.nameRule.rule === 'implicit' ? def.nameRule.name : Name;
  return stringify({ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: def.crdKind, metadata: { name }, spec });
}

const snake = (kind: string) => (path: string, name: string) => CONSUL_ALIASES[kind]?.[path.replace(/\[\d+\]/g, '[]')]?.[0] ?? name;

async function renderAll(files: Record<string, string>): Promise<unknown[]> {
  const run = await runCli(['render', '--json', '--normalized', '.'], tempTree(files));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as unknown[];
}

describe('every kind decodes alike from HCL snake_case, HCL CamelCase, JSON and CRD YAML', () => {
  it('the samples cover every kind a file may hold', () => {
    const covered = new Set(SAMPLES.map((e) => e.Kind));
    expect(KINDS.filter((k) => !k.controllerOwned && !covered.has(k.kind)).map((k) => k.kind)).toEqual([]);
  });

  it('each sample renders the same in all four spellings', async () => {
    const files = (fn: (e: (typeof SAMPLES)[number]) => string | undefined, ext: string) =>
      Object.fromEntries(
        SAMPLES.flatMap((e, i) => {
          const t = fn(e);
          return t === undefined ? [] : [[`${String(i).padStart(2, '0')}.${ext}`, t]];
        }),
      );
    const json = await renderAll(files((e) => JSON.stringify(e), 'json'));
    const camel = await renderAll(files((e) => hclDocument(e, (_p, n) => n), 'hcl'));
    const snaked = files((e) => hclDocument(e, snake(e.Kind)), 'hcl');
    // The snake_case files do use Consul's aliases (not only CamelCase that happens to decode).
    expect(Object.values(snaked).join('\n')).toContain('enforcing_consecutive_5xx = 80');
    expect(Object.values(snaked).join('\n')).toContain('MaxRequestHeadersKB = 96');
    expect(Object.values(snaked).join('\n')).toContain('cert_resource = "web-cert"');
    expect(Object.values(snaked).join('\n')).toContain('cert_resource = "db-cert"');
    expect(Object.values(snaked).join('\n')).toContain('tls_max_version = "TLSv1_3"');
    expect(Object.values(snaked).join('\n')).toContain('max_concurrent_requests = 9');
    expect(Object.values(snaked).join('\n')).toContain('passive_health_check = {');
    expect(await renderAll(snaked)).toEqual(json);
    expect(camel).toEqual(json);
    const crdFiles = files(crdDocument, 'yaml');
    const crd = await renderAll(crdFiles);
    const crdKinds = new Set(SAMPLES.filter((e) => kindDefinition(e.Kind)!.crdKind).map((e) => e.Kind));
    expect(crd).toEqual(json.filter((e) => crdKinds.has((e as { Kind: string }).Kind)));
  });
});
