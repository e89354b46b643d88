// Every Go pointer field of the registry keeps its zero end to end (issue 11, stop 18). The list
// of fields is the registry's own (src/model/pointer-fields.ts over every kind), so a field newly
// marked `pointer()` is covered without touching this file, and a pointer field without a case here
// fails the "every pointer field has a case" test. For each: a file gives the field its zero (`{}`
// for a pointer to a struct, 0 / "" / false for a scalar), apply writes it, Consul (the dev server)
// answers it from GET, and the next plan has no changes; or, where Consul's Validate reads the set
// pointer and refuses it, validate and the dev server say so with Consul's text. And each given as
// `null` is unset, as Consul's mapstructure decode leaves it.
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/model/registry.ts';
import { pointerFieldPatterns } from '../../src/model/pointer-fields.ts';
import { fieldSpec, type FieldType, type ObjectFields } from '../../src/model/field-types.ts';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

type Json = Record<string, unknown>;

/** A valid entry of each kind that has pointer fields, and the entries its checks need beside it. */
const BASE: Record<string, { entry: Json; beside?: Json[] }> = {
  mesh: { entry: { Kind: 'mesh' } },
  'service-defaults': { entry: { Kind: 'service-defaults', Name: 'api', UpstreamConfig: { Defaults: {}, Overrides: [{ Name: 'db' }] } } },
  'jwt-provider': { entry: { Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: 'https://example.com/jwks' } } } },
  'service-resolver': {
    entry: {
      Kind: 'service-resolver',
      Name: 'api',
      Failover: { '*': { Service: 'backup' } },
      LoadBalancer: { Policy: 'ring_hash', HashPolicies: [{ Field: 'cookie', FieldValue: 'id' }] },
    },
  },
  'service-splitter': { entry: { Kind: 'service-splitter', Name: 'api', Splits: [{ Weight: 100 }] }, beside: [httpDefaults('api')] },
  'service-router': { entry: { Kind: 'service-router', Name: 'api', Routes: [{ Match: { HTTP: {} } }] }, beside: [httpDefaults('api')] },
  'ingress-gateway': {
    entry: { Kind: 'ingress-gateway', Name: 'ingress', Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'api' }] }], Defaults: {} },
    beside: [httpDefaults('api')],
  },
  // proxy-defaults FailoverPolicy/PrioritizeByLocality and terminating-gateway's credential pointers (stop 20).
  'proxy-defaults': { entry: { Kind: 'proxy-defaults', Name: 'global' } },
  'terminating-gateway': { entry: { Kind: 'terminating-gateway', Name: 'tgw', Services: [{ Name: 'db' }] } },
  'api-gateway': { entry: { Kind: 'api-gateway', Name: 'gw', Listeners: [{ Name: 'l', Port: 8080, Protocol: 'http' }], Defaults: {} } },
  'http-route': {
    entry: {
      Kind: 'http-route',
      Name: 'r',
      Parents: [{ Kind: 'api-gateway', Name: 'gw' }],
      Rules: [{ Filters: {}, Services: [{ Name: 'api', Filters: {}, Limits: {} }] }],
    },
  },
  'tcp-route': { entry: { Kind: 'tcp-route', Name: 't', Parents: [{ Kind: 'api-gateway', Name: 'gw' }], Services: [{ Name: 'api', Limits: {} }] } },
  'service-intentions': {
    entry: { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/' } }] }] },
    beside: [httpDefaults('api')],
  },
};

function httpDefaults(name: string): Json {
  return { Kind: 'service-defaults', Name: name, Protocol: 'http' };
}

/**
 * Pointer fields whose zero Consul's Validate refuses in the base entry, with Consul's text: the set
 * pointer is what it reads (agent/structs config_entry_jwt_provider.go, config_entry_discoverychain.go,
 * config_entry_intentions.go; config_entry.go PassiveHealthCheck.Validate, whose bounds apply to a set
 * pointer; IngressGatewayConfigEntry.Validate does not call it). Every other field is stored and answered.
 */
const REFUSED: readonly (readonly [RegExp, string])[] = [
  [/^jwt-provider JSONWebKeySet$/, 'must specify exactly one of Local or Remote JSON Web key set'],
  [/^jwt-provider JSONWebKeySet\.Local$/, 'must specify exactly one of Local or Remote JSON Web key set'],
  [/^jwt-provider JSONWebKeySet\.Remote$/, 'Remote JWKS URI is required'],
  [/^jwt-provider JSONWebKeySet\.Remote\.JWKSCluster\.TLSCertificates$/, 'must specify exactly one of: CaCertificateProviderInstance or TrustedCA'],
  [
    /^jwt-provider JSONWebKeySet\.Remote\.JWKSCluster\.TLSCertificates\.TrustedCA$/,
    'must specify exactly one of: Filename, EnvironmentVariable, InlineString or InlineBytes',
  ],
  [/^jwt-provider Locations\[\]\.Header$/, 'JWT location header name must be specified'],
  [/^jwt-provider Locations\[\]\.QueryParam$/, 'JWT location query param name must be specified'],
  [/^jwt-provider Locations\[\]\.Cookie$/, 'JWT location cookie name must be specified'],
  [/^jwt-provider Forwarding$/, 'Header name required for forwarding config'],
  [/^service-resolver Redirect$/, 'Redirect and Failover cannot both be set'],
  [/^service-resolver LoadBalancer\.LeastRequestConfig$/, 'LeastRequestConfig specified for incompatible load balancing policy "ring_hash"'],
  [/^service-intentions Sources\[\]\.Permissions\[\]\.HTTP$/, 'Sources[0].Permissions[0].HTTP should not be empty'],
  [/^(?!ingress-gateway).*PassiveHealthCheck\.Consecutive5xx$/, 'passive health check consecutive_5xx must be greater than 0'],
  [/^(?!ingress-gateway).*PassiveHealthCheck\.ConsecutiveGatewayFailure$/, 'passive health check consecutive_gateway_failure must be greater than 0'],
  // CE (the dev server) refuses any set RateLimits (config_entry_ce.go validateRatelimit, `rl != nil`);
  // Enterprise keeps `{}`: test/cli/rate-limits-enterprise.test.ts.
  [/^service-defaults RateLimits$/, 'invalid rate_limits config. Rate limiting is a consul enterprise feature'],
  // CE refuses a set credential pointer (config_entry_gateways_credential_ce.go validateCredentialInjection, `!= nil`).
  [/^terminating-gateway CredentialInjection$/, 'credential injection is a consul enterprise feature'],
  [/^terminating-gateway Services\[\]\.Credential$/, 'service "db": credential injection is a consul enterprise feature'],
];

/** The field's Go zero, as a JSON file gives it. */
function zeroOf(type: FieldType): unknown {
  switch (type.t) {
    case 'object':
      return {};
    case 'int':
    case 'float':
      return 0;
    case 'bool':
      return false;
    case 'duration':
      return type.encoding === 'nanoseconds' ? 0 : '0s';
    default:
      return '';
  }
}

/** The field type at a pointer pattern (`A.B[].C`, `Failover.*.Policy`). */
function typeAt(fields: ObjectFields, pattern: string): FieldType {
  let type: FieldType = { t: 'object', fields };
  for (const seg of pattern.split('.')) {
    if (seg === '*') {
      type = (type as { of: FieldType }).of;
      continue;
    }
    const name = seg.replace(/\[\]$/, '');
    type = fieldSpec((type as { fields: ObjectFields }).fields[name]).type;
    if (seg.endsWith('[]')) type = (type as { of: FieldType }).of;
  }
  return type;
}

/** A copy of `entry` with `value` at `pattern`: lists at their first element, maps at key `*` (resolver Failover's wildcard). */
function withValueAt(entry: Json, pattern: string, value: unknown): Json {
  const out = structuredClone(entry);
  let at: Json = out;
  const segs = pattern.split('.');
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    const key = seg.replace(/\[\]$/, '');
    if (seg.endsWith('[]')) {
      const list = (at[key] as Json[] | undefined) ?? (at[key] = [{}] as Json[]);
      at = list[0] ?? (list[0] = {});
    } else if (last) at[key] = value;
    else at = (at[key] as Json | undefined) ?? (at[key] = {});
  });
  return out;
}

/** The value at `pattern` in a GET answer. */
function valueAt(entry: unknown, pattern: string): unknown {
  let at = entry as Json | undefined;
  for (const seg of pattern.split('.')) {
    const key = seg.replace(/\[\]$/, '');
    let v = at?.[key];
    if (seg.endsWith('[]')) v = (v as unknown[] | undefined)?.[0];
    at = v as Json | undefined;
  }
  return at;
}

interface Case {
  kind: string;
  pattern: string;
  zero: unknown;
  refused?: string;
}

// Kinds CE refuses whole (sameness-group, control-plane-request-limit) cannot be written to the dev
// server, which is CE: their pointer fields are pinned against the Enterprise double
// (test/cli/pointer-fields-enterprise-kinds.test.ts).
const CASES: Case[] = KINDS.filter((def) => !def.enterpriseOnly).flatMap((def) =>
  [...pointerFieldPatterns(def.kind)].map((pattern) => ({
    kind: def.kind,
    pattern,
    zero: zeroOf(typeAt(def.fields, pattern)),
    refused: REFUSED.find(([re]) => re.test(`${def.kind} ${pattern}`))?.[1],
  })),
);

/**
 * The kept fields of one kind in as few entries as their nesting allows: no field in a batch is
 * inside another of the same batch (`TLS {}` and `TLS.Incoming {}` go to different writes). One
 * apply and one plan per batch keeps the file fast.
 */
function batches(kind: string): Case[][] {
  const out: Case[][] = [];
  const nested = (a: string, b: string) => a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || a.startsWith(`${b}[]`) || b.startsWith(`${a}[]`);
  for (const c of CASES.filter((c) => c.kind === kind && !c.refused)) {
    const batch = out.find((b) => b.every((o) => !nested(o.pattern, c.pattern)));
    if (batch) batch.push(c);
    else out.push([c]);
  }
  return out;
}

function filesOf(kind: string, entry: Json): Record<string, string> {
  const files: Record<string, string> = { 'config-entries/entry.json': JSON.stringify(entry, null, 2) };
  (BASE[kind].beside ?? []).forEach((b, i) => (files[`config-entries/beside-${i}.json`] = JSON.stringify(b)));
  return files;
}

const server = devServerPerFile();

const KINDS_WITH_POINTERS = [...new Set(CASES.map((c) => c.kind))];

describe('every Go pointer field of the registry keeps its zero, as Consul does', () => {
  it('every kind with pointer fields has a base entry, and every refusal listed names a pointer field', () => {
    expect(CASES.length).toBeGreaterThan(100);
    for (const kind of KINDS_WITH_POINTERS) expect(BASE[kind], kind).toBeDefined();
    for (const [re] of REFUSED)
      expect(
        CASES.some((c) => re.test(`${c.kind} ${c.pattern}`)),
        String(re),
      ).toBe(true);
  });

  it.each(KINDS_WITH_POINTERS)('%s: apply writes each zero, GET answers it, and the next plan has no changes', async (kind) => {
    for (const batch of batches(kind)) {
      const entry = batch.reduce((e, c) => withValueAt(e, c.pattern, c.zero), BASE[kind].entry);
      const dir = tempTree(filesOf(kind, entry));
      const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
      expect(apply.stderr, batch.map((c) => c.pattern).join(', ')).toBe('');
      expect(apply.code).toBe(0);
      const live = await (await fetch(`${server.url}/v1/config/${kind}/${entryName(entry)}`)).json();
      for (const c of batch) {
        const got = valueAt(live, c.pattern);
        if (typeof c.zero === 'object') expect(got, c.pattern).toMatchObject(c.zero as object);
        else expect(got, c.pattern).toBe(c.zero === '0s' ? 0 : c.zero);
      }
      const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
      expect(plan.stdout, batch.map((c) => c.pattern).join(', ')).toContain('No changes.');
      expect(plan.code).toBe(0);
    }
    // The next kind's plan must not see this one's entries (the entry first: the ones beside it carry what it needs).
    for (const e of [BASE[kind].entry, ...(BASE[kind].beside ?? [])])
      expect((await fetch(`${server.url}/v1/config/${String(e.Kind)}/${entryName(e)}`, { method: 'DELETE' })).status).toBe(200);
  });

  it.each(CASES.filter((c) => c.refused).map((c) => [`${c.kind} ${c.pattern}`, c] as const))(
    '%s: the zero is a set pointer, refused by validate and by Consul with its text',
    async (_name, c) => {
      const entry = withValueAt(BASE[c.kind].entry, c.pattern, c.zero);
      const validate = await runCli(['validate'], tempTree(filesOf(c.kind, entry)));
      expect(validate.stderr).toContain(c.refused);
      expect(validate.code).toBe(1);
      const put = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
      expect(await put.text()).toContain(c.refused);
    },
  );
});

/**
 * `null` is as absent, for every pointer field (issue 11, stop 19): Consul's DecodeConfigEntry decodes
 * with mapstructure without ZeroFields, which sets nothing for a nil input, so `"RateLimits": null`
 * leaves the pointer nil: the write is answered as the same body without the key is (parents the
 * path needs are given in both), and GET has no such field.
 */
describe('a pointer field given null is unset, as Consul decodes it', () => {
  it.each(KINDS_WITH_POINTERS)('%s: PUT with each pointer field null is answered as without it, and GET omits it', async (kind) => {
    for (const b of BASE[kind].beside ?? []) expect(await putText(b)).toBe('true');
    const cases = CASES.filter((c) => c.kind === kind);
    let accepted = 0;
    for (const c of cases) {
      const absent = await putText(withValueAt(BASE[kind].entry, c.pattern, undefined));
      const nulled = withValueAt(BASE[kind].entry, c.pattern, null);
      expect(await putText(nulled), c.pattern).toBe(absent);
      if (absent !== 'true') continue;
      accepted++;
      const live = await (await fetch(`${server.url}/v1/config/${kind}/${entryName(nulled)}`)).json();
      expect(valueAt(live, c.pattern), c.pattern).toBeUndefined();
    }
    // At least half the paths are accepted: the comparison is not only between two refusals.
    expect(accepted, kind).toBeGreaterThanOrEqual(cases.length / 2);
    for (const e of [BASE[kind].entry, ...(BASE[kind].beside ?? [])])
      await fetch(`${server.url}/v1/config/${String(e.Kind)}/${entryName(e)}`, { method: 'DELETE' });
  });

  it('a JSON file giving RateLimits and UpstreamConfig as null validates, and plans no change against an entry without them', async () => {
    const body = { Kind: 'service-defaults', Name: 'nulls', Protocol: 'http', RateLimits: null, UpstreamConfig: null };
    expect(await putText({ Kind: 'service-defaults', Name: 'nulls', Protocol: 'http' })).toBe('true');
    const dir = tempTree({ 'config-entries/nulls.json': JSON.stringify(body) });
    const validate = await runCli(['validate'], dir);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    await fetch(`${server.url}/v1/config/service-defaults/nulls`, { method: 'DELETE' });
  });
});

async function putText(body: Json): Promise<string> {
  return (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text();
}

function entryName(entry: Json): string {
  return entry.Kind === 'mesh' ? 'mesh' : String(entry.Name);
}
