// THE contract: Consul's HTTP behaviour that consul-gitops relies on, as request sequences with
// expected status, body and headers (Consul's agent/config_endpoint.go and agent/consul/state/config_entry.go). The dev server must pass every case;
// the same list runs against a real Consul when CONSUL_HTTP_ADDR is set, so any divergence between
// the emulator and Consul shows up as a failing case there.
//
// Every name is prefixed `cgc-` and each case lists what it created in `cleanup`, so a run leaves
// a real Consul as it found it — except the singletons `mesh` and `proxy-defaults/global`, which
// cases touching them delete afterwards: run the real-Consul suite against a throwaway dev agent.
import { expect } from 'vitest';
import type { Target } from './run-contract.ts';
import { WRITE_CHECK_CASES } from './write-checks.contract.ts';

export type Vars = Record<string, string | number>;

export interface ContractResponse {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

type HeaderExpectation = string | RegExp | null | ((value: string | null, vars: Vars) => void);

export interface ContractStep {
  method: 'GET' | 'PUT' | 'DELETE' | 'POST' | 'OPTIONS';
  path: string | ((v: Vars) => string);
  body?: string | object | ((v: Vars) => string | object);
  headers?: Record<string, string> | ((v: Vars, target: Target) => Record<string, string>);
  expect: {
    status: number;
    body?: string | ((res: ContractResponse, vars: Vars, elapsedMs: number) => void);
    headers?: Record<string, HeaderExpectation>;
  };
  capture?: (res: ContractResponse, vars: Vars) => Vars;
  /** Sent one after another while this step's request is in flight (after `duringDelayMs`, default 100). */
  during?: ContractStep[];
  duringDelayMs?: number;
}

/** A token with scoped rules a case needs: created through the ACL API on a real Consul, declared to the dev server. */
export interface ContractToken {
  /** UUIDs, as Consul requires for a SecretID/AccessorID given at creation. */
  secret: string;
  accessorId: string;
  /** Consul policy rules: resource → name → level (`service_prefix: { 'cgc-web': 'read' }`). */
  rules: Partial<
    Record<
      'service' | 'service_prefix' | 'intention' | 'intention_prefix' | 'key' | 'key_prefix' | 'node' | 'node_prefix',
      Record<string, 'read' | 'write' | 'deny'>
    >
  > & {
    mesh?: 'read' | 'write' | 'deny';
    operator?: 'read' | 'write' | 'deny';
  };
}

/** The rules as a Consul policy in HCL (`service_prefix "cgc-web" { policy = "read" }`). */
export function rulesHcl(rules: ContractToken['rules']): string {
  const lines: string[] = [];
  for (const [resource, value] of Object.entries(rules)) {
    if (typeof value === 'string') lines.push(`${resource} = "${value}"`);
    else for (const [name, level] of Object.entries(value)) lines.push(`${resource} ${JSON.stringify(name)} { policy = "${level}" }`);
  }
  return lines.join('\n');
}

export interface ContractCase {
  name: string;
  /** Needs a target with ACLs enabled (default deny) and an all-powerful token. */
  needsAcl?: boolean;
  /** Scoped tokens the case uses (implies needsAcl). */
  aclTokens?: ContractToken[];
  /** Kinds the case writes: a target whose decoder lacks one cannot run it (see the runners). */
  kinds?: string[];
  steps: ContractStep[];
  /** DELETE paths run after the case (reverse order), pass or fail. */
  cleanup?: string[];
}

const JSON_CT = /^application\/json/;
const TEXT_CT = /^text\/plain/;
const INDEX = /^[1-9]\d*$/;
const META = { 'X-Consul-Index': INDEX, 'X-Consul-KnownLeader': 'true', 'X-Consul-LastContact': '0' };
const PERMISSIVE_TEXT = 'cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry';

const put = (body: object | string | ((v: Vars) => object | string), query = ''): Omit<ContractStep, 'expect'> => ({
  method: 'PUT',
  path: `/v1/config${query}`,
  body,
});
const ok = (body: object | string, query = ''): ContractStep => ({
  ...put(body, query),
  expect: { status: 200, body: 'true', headers: { 'Content-Type': JSON_CT, 'X-Consul-Index': null } },
});
const fail500 = (body: object | string, text: string, query = ''): ContractStep => ({
  ...put(body, query),
  expect: { status: 500, body: text, headers: { 'Content-Type': TEXT_CT } },
});
const fail400 = (body: object | string, text: string, query = ''): ContractStep => ({
  ...put(body, query),
  expect: { status: 400, body: text, headers: { 'Content-Type': TEXT_CT } },
});
const json = (check: (j: any, res: ContractResponse, vars: Vars) => void) => (res: ContractResponse, vars: Vars) => check(res.json, res, vars);
const indexOf = (res: ContractResponse) => Number(res.headers.get('X-Consul-Index'));
const sd = (name: string, extra: object = {}) => ({ Kind: 'service-defaults', Name: name, ...extra });

/** May read service-defaults of cgc-web* only. */
const SCOPED_WEB: ContractToken = {
  secret: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9c01',
  accessorId: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9ca1',
  rules: { service_prefix: { 'cgc-web': 'read' } },
};

export const CONTRACT_CASES: ContractCase[] = [
  {
    name: 'write, read back with server noise, list',
    cleanup: ['/v1/config/service-defaults/cgc-rt'],
    steps: [
      ok(sd('cgc-rt', { Protocol: 'HTTP', Meta: { team: 'a' } })),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-rt',
        expect: {
          status: 200,
          headers: { 'Content-Type': JSON_CT, ...META },
          body: json((j, res) => {
            expect(j).toMatchObject({
              Kind: 'service-defaults',
              Name: 'cgc-rt',
              Protocol: 'http',
              TransparentProxy: {},
              MeshGateway: {},
              Expose: {},
              Meta: { team: 'a' },
            });
            expect(j.CreateIndex).toBe(j.ModifyIndex);
            expect(res.text).toMatch(/"Hash":\d+[,}]/);
            expect(j).not.toHaveProperty('Namespace');
          }),
        },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        expect: { status: 200, headers: META, body: json((j) => expect(j.map((e: any) => e.Name)).toContain('cgc-rt')) },
      },
    ],
  },
  {
    name: 'GET zero-value shapes: service-defaults Protocol "", proxy-defaults Config null, mesh without Name',
    cleanup: ['/v1/config/service-defaults/cgc-shape', '/v1/config/proxy-defaults/global', '/v1/config/mesh/mesh'],
    steps: [
      ok(sd('cgc-shape')),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-shape',
        expect: { status: 200, body: json((j) => expect(j).toMatchObject({ Protocol: '', TransparentProxy: {}, MeshGateway: {}, Expose: {} })) },
      },
      ok({ Kind: 'proxy-defaults', Name: 'global' }),
      {
        method: 'GET',
        path: '/v1/config/proxy-defaults/global',
        expect: {
          status: 200,
          body: json((j) => expect(j).toMatchObject({ Name: 'global', Config: null, TransparentProxy: {}, MeshGateway: {}, Expose: {}, AccessLogs: {} })),
        },
      },
      ok({ Kind: 'mesh', Meta: { k: 'v' } }),
      {
        method: 'GET',
        path: '/v1/config/mesh/mesh',
        expect: {
          status: 200,
          body: json((j) => {
            expect(j).toMatchObject({ Kind: 'mesh', TransparentProxy: { MeshDestinationsOnly: false }, Meta: { k: 'v' } });
            expect(j).not.toHaveProperty('Name');
          }),
        },
      },
    ],
  },
  {
    // agent/structs/config_entry.go ServiceConfigEntry: `UpstreamConfig *UpstreamConfiguration
    // json:",omitempty"`. mapstructure makes `{}` a non-nil pointer; omitempty drops only a nil one, and
    // the raft log's msgpack (RecursiveEmptyCheck off) keeps it, so GET says `{}`. Never sent: absent.
    name: 'GET: an empty UpstreamConfig written is returned as {}; one never written is absent',
    cleanup: ['/v1/config/service-defaults/cgc-up-empty', '/v1/config/service-defaults/cgc-up-none'],
    steps: [
      ok(sd('cgc-up-empty', { UpstreamConfig: {} })),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-up-empty',
        expect: { status: 200, body: json((j) => expect(j.UpstreamConfig).toEqual({})) },
      },
      ok(sd('cgc-up-none')),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-up-none',
        expect: { status: 200, body: json((j) => expect(j).not.toHaveProperty('UpstreamConfig')) },
      },
    ],
  },
  {
    name: 'proxy-defaults without a name is global; other names refused on write and delete',
    cleanup: ['/v1/config/proxy-defaults/global'],
    steps: [
      ok({ Kind: 'proxy-defaults', Config: { protocol: 'http' } }),
      {
        method: 'GET',
        path: '/v1/config/proxy-defaults/global',
        expect: { status: 200, body: json((j) => expect(j).toMatchObject({ Name: 'global', Config: { protocol: 'http' } })) },
      },
      fail500({ Kind: 'proxy-defaults', Name: 'other' }, 'invalid name ("other"), only "global" is supported'),
      { method: 'DELETE', path: '/v1/config/proxy-defaults/other', expect: { status: 500, body: 'invalid name ("other"), only "global" is supported' } },
    ],
  },
  {
    name: 'names are case-insensitive; a differently-cased write replaces the entry and its Name',
    cleanup: ['/v1/config/service-defaults/cgc-case'],
    steps: [
      ok(sd('cgc-case', { Protocol: 'tcp' })),
      { method: 'GET', path: '/v1/config/service-defaults/CGC-CASE', expect: { status: 200, body: json((j) => expect(j.Name).toBe('cgc-case')) } },
      ok(sd('CGC-Case', { Protocol: 'http' })),
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        expect: {
          status: 200,
          body: json((j) =>
            expect(j.filter((e: any) => e.Name.toLowerCase() === 'cgc-case').map((e: any) => [e.Name, e.Protocol])).toEqual([['CGC-Case', 'http']]),
          ),
        },
      },
    ],
  },
  {
    name: 'missing entry: 404 text with query meta; list of an empty kind is []',
    steps: [
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-missing',
        expect: { status: 404, body: 'Config entry not found for "service-defaults" / "cgc-missing"', headers: { 'Content-Type': TEXT_CT, ...META } },
      },
      { method: 'GET', path: '/v1/config/sameness-group', expect: { status: 200, body: '[]', headers: { 'Content-Type': JSON_CT, ...META } } },
    ],
  },
  {
    // What a `+ent` target meets on CE (test/cli/enterprise-target-on-ce.test.ts; docs/enterprise.md):
    // CE's MakeConfigEntry (agent/structs/config_entry.go) has no case for control-plane-request-limit,
    // and CE's SamenessGroupConfigEntry.Validate (config_entry_sameness_group_ce.go) always fails.
    name: 'Enterprise-only kinds on CE: control-plane-request-limit is an unknown kind; a sameness-group write is refused',
    steps: [
      {
        method: 'GET',
        path: '/v1/config/control-plane-request-limit',
        expect: { status: 500, body: 'invalid config entry kind: control-plane-request-limit' },
      },
      fail400({ Kind: 'control-plane-request-limit', Name: 'cgc-limit' }, 'Request decoding failed: invalid config entry kind: control-plane-request-limit'),
      fail500({ Kind: 'sameness-group', Name: 'cgc-group', Members: [{ Peer: 'cgc-dc2' }] }, 'sameness-groups are an enterprise-only feature'),
      { method: 'GET', path: '/v1/config/sameness-group', expect: { status: 200, body: '[]', headers: { 'Content-Type': JSON_CT, ...META } } },
    ],
  },
  {
    name: 'unknown kind: 500 on GET and list, 400 on DELETE and PUT',
    steps: [
      { method: 'GET', path: '/v1/config/nope/x', expect: { status: 500, body: 'invalid config entry kind: nope' } },
      { method: 'GET', path: '/v1/config/nope', expect: { status: 500, body: 'invalid config entry kind: nope' } },
      { method: 'DELETE', path: '/v1/config/nope/x', expect: { status: 400, body: 'invalid config entry kind: nope' } },
      fail400({ Kind: 'nope', Name: 'x' }, 'Request decoding failed: invalid config entry kind: nope'),
      fail400({ Kind: 'Service-Defaults', Name: 'x' }, 'Request decoding failed: invalid config entry kind: Service-Defaults'),
    ],
  },
  {
    name: 'request decoding failures are 400 with Consul texts',
    steps: [
      fail400('', 'Request decoding failed: EOF'),
      fail400({ Name: 'x' }, 'Request decoding failed: Payload does not contain a kind/Kind key at the top level'),
      fail400({ Kind: 5, Name: 'x' }, 'Request decoding failed: Kind value in payload is not a string'),
      fail400(sd('cgc-x', { Foo: 1 }), 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Foo"\n\n'),
      fail400(sd('cgc-x', { Foo: 1, Bar: 2 }), 'Request decoding failed: 2 errors occurred:\n\t* invalid config key "Foo"\n\t* invalid config key "Bar"\n\n'),
      fail400({ Kind: 'mesh', Name: 'mesh' }, 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Name"\n\n'),
      fail400(sd('cgc-x', { Partition: '' }), 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Partition"\n\n'),
      fail400(
        { Kind: 'service-intentions', Name: 'cgc-x', Sources: [{ Name: 'a', Action: 'allow', Namespace: 'default' }] },
        'Request decoding failed: 1 error occurred:\n\t* invalid config key "Sources[0].Namespace", namespaces are a consul enterprise feature\n\n',
      ),
      {
        ...put(sd('cgc-x', { Namespace: 'default' })),
        expect: { status: 400, body: (r) => expect(r.text).toContain('invalid config key "Namespace", namespaces are a consul enterprise feature') },
      },
    ],
  },
  {
    name: 'Validate failures are 500 with Consul messages',
    steps: [
      fail500(sd('cgc-v', { MutualTLSMode: 'Permissive' }), 'Invalid MutualTLSMode "Permissive". Must be one of "", "strict", or "permissive".'),
      fail500(sd('*'), 'service-defaults name must be the name of a service, and not a wildcard'),
      fail500({ Kind: 'service-defaults' }, 'Name is required'),
      fail500(sd('cgc-v', { BalanceInboundConnections: 'nope' }), '1 error occurred:\n\t* invalid value for balance_inbound_connections: nope\n\n'),
      fail500({ Kind: 'service-intentions', Name: 'cgc-v' }, 'At least one source is required'),
    ],
  },
  {
    name: 'no-op write: identical normalised entry returns true without an index bump, whatever the cas',
    cleanup: ['/v1/config/service-defaults/cgc-noop'],
    steps: [
      ok(sd('cgc-noop', { Protocol: 'http' })),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-noop',
        expect: { status: 200 },
        capture: (r) => ({ mi: (r.json as any).ModifyIndex, idx: indexOf(r) }),
      },
      ok(sd('cgc-noop', { Protocol: 'HTTP' })),
      ok(sd('cgc-noop', { Protocol: 'http' }), '?cas=1'),
      ok(sd('cgc-noop', { Protocol: 'http' }), '?cas=0'),
      // Hash is a server struct field: accepted, then recomputed by Normalize
      ok('{"Kind":"service-defaults","Name":"cgc-noop","Protocol":"http","Hash":12345,"CreateIndex":1,"ModifyIndex":2}'),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-noop',
        expect: {
          status: 200,
          body: (r, v) => expect((r.json as any).ModifyIndex).toBe(v.mi),
          headers: { 'X-Consul-Index': (h, v) => expect(Number(h)).toBe(v.idx) },
        },
      },
    ],
  },
  {
    name: 'CAS on PUT',
    cleanup: ['/v1/config/service-defaults/cgc-cas'],
    steps: [
      { ...put(sd('cgc-cas', { Protocol: 'tcp' }), '?cas=1'), expect: { status: 200, body: 'false' } },
      ok(sd('cgc-cas', { Protocol: 'tcp' }), '?cas=0'),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-cas',
        expect: { status: 200 },
        capture: (r) => ({ ci: (r.json as any).CreateIndex, mi: (r.json as any).ModifyIndex }),
      },
      { ...put(sd('cgc-cas', { Protocol: 'http' }), '?cas=0'), expect: { status: 200, body: 'false' } },
      {
        method: 'PUT',
        path: (v) => `/v1/config?cas=${Number(v.mi) + 1000}`,
        body: sd('cgc-cas', { Protocol: 'http' }),
        expect: { status: 200, body: 'false' },
      },
      { method: 'PUT', path: (v) => `/v1/config?cas=${v.mi}`, body: sd('cgc-cas', { Protocol: 'http' }), expect: { status: 200, body: 'true' } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-cas',
        expect: {
          status: 200,
          body: (r, v) => {
            const j = r.json as any;
            expect(j.Protocol).toBe('http');
            expect(j.CreateIndex).toBe(v.ci);
            expect(j.ModifyIndex).toBeGreaterThan(Number(v.mi));
          },
        },
      },
      { ...put(sd('cgc-cas'), '?cas=abc'), expect: { status: 500, body: 'strconv.ParseUint: parsing "abc": invalid syntax' } },
    ],
  },
  {
    name: 'DELETE with and without cas; the table index moves on delete',
    steps: [
      ok(sd('cgc-del')),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-del',
        expect: { status: 200 },
        capture: (r) => ({ mi: (r.json as any).ModifyIndex, idx: indexOf(r) }),
      },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-del?cas=0', expect: { status: 200, body: 'false', headers: { 'Content-Type': JSON_CT } } },
      { method: 'DELETE', path: (v) => `/v1/config/service-defaults/cgc-del?cas=${Number(v.mi) - 1}`, expect: { status: 200, body: 'false' } },
      { method: 'DELETE', path: (v) => `/v1/config/service-defaults/cgc-del?cas=${v.mi}`, expect: { status: 200, body: 'true' } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-del',
        expect: { status: 404, headers: { 'X-Consul-Index': (h, v) => expect(Number(h)).toBeGreaterThan(Number(v.idx)) } },
      },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-del?cas=12345', expect: { status: 200, body: 'true' } },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-del', expect: { status: 200, body: '{}', headers: { 'Content-Type': JSON_CT } } },
      ok(sd('cgc-del')),
      { method: 'DELETE', path: '/v1/config/service-defaults/CGC-DEL', expect: { status: 200, body: '{}' } },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-del', expect: { status: 404 } },
      { method: 'DELETE', path: '/v1/config/service-defaults', expect: { status: 404, body: 'Must provide both a kind and name to delete' } },
    ],
  },
  {
    name: 'wrong method: 405 with Allow; OPTIONS: 200 with Allow',
    steps: [
      { method: 'GET', path: '/v1/config', expect: { status: 405, body: 'method GET not allowed', headers: { Allow: 'OPTIONS,PUT' } } },
      {
        method: 'PUT',
        path: '/v1/config/service-defaults/x',
        body: '{}',
        expect: { status: 405, body: 'method PUT not allowed', headers: { Allow: 'OPTIONS,GET,DELETE' } },
      },
      { method: 'POST', path: '/v1/config', body: '{}', expect: { status: 405, body: 'method POST not allowed', headers: { Allow: 'OPTIONS,PUT' } } },
      { method: 'OPTIONS', path: '/v1/config/service-defaults', expect: { status: 200, headers: { Allow: 'OPTIONS,GET,DELETE' } } },
    ],
  },
  {
    name: 'CE refuses namespace and partition parameters and headers',
    steps: [
      {
        method: 'GET',
        path: '/v1/config/service-defaults?ns=default',
        expect: { status: 400, body: 'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature' },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults/x?partition=default',
        expect: { status: 400, body: 'Invalid query parameter: "partition" - Partitions are a Consul Enterprise feature' },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        headers: { 'X-Consul-Namespace': 'default' },
        expect: { status: 400, body: 'Invalid header: "X-Consul-Namespace" - Namespaces are a Consul Enterprise feature' },
      },
      {
        method: 'DELETE',
        path: '/v1/config/service-defaults/x',
        headers: { 'X-Consul-Partition': 'default' },
        expect: { status: 400, body: 'Invalid header: "X-Consul-Partition" - Partitions are a Consul Enterprise feature' },
      },
      fail400(sd('cgc-ns'), 'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature', '?ns=default'),
    ],
  },
  {
    name: '?pretty indents with four spaces and a trailing newline',
    cleanup: ['/v1/config/service-defaults/cgc-pretty'],
    steps: [
      { ...put(sd('cgc-pretty'), '?pretty'), expect: { status: 200, body: 'true\n' } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-pretty?pretty',
        expect: {
          status: 200,
          body: (r) => (expect(r.text.startsWith('{\n    "Kind": "service-defaults",\n')).toBe(true), expect(r.text.endsWith('}\n')).toBe(true)),
        },
      },
    ],
  },
  {
    name: 'blocking-query parameters: bad wait/index are 400; a short wait returns the same index',
    steps: [
      { method: 'GET', path: '/v1/config/service-defaults?wait=5x&index=1', expect: { status: 400, body: 'Invalid wait time' } },
      { method: 'GET', path: '/v1/config/service-defaults?index=abc', expect: { status: 400, body: 'Invalid index' } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults?stale&consistent',
        expect: { status: 400, body: 'Cannot specify ?stale with ?consistent, conflicting semantics.' },
      },
      { method: 'GET', path: '/v1/config/service-defaults', expect: { status: 200 }, capture: (r) => ({ idx: indexOf(r) }) },
      {
        method: 'GET',
        path: (v) => `/v1/config/service-defaults?index=${v.idx}&wait=200ms`,
        expect: {
          status: 200,
          body: (_r, _v, elapsed) => expect(elapsed).toBeGreaterThanOrEqual(150),
          headers: { 'X-Consul-Index': (h, v) => expect(Number(h)).toBe(v.idx) },
        },
      },
    ],
  },
  {
    name: 'permissive mTLS needs the mesh gate, except for an entry already permissive',
    cleanup: ['/v1/config/service-defaults/cgc-perm', '/v1/config/service-defaults/cgc-perm2', '/v1/config/proxy-defaults/global', '/v1/config/mesh/mesh'],
    steps: [
      fail500(sd('cgc-perm', { MutualTLSMode: 'permissive' }), PERMISSIVE_TEXT),
      ok({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false }),
      fail500(sd('cgc-perm', { MutualTLSMode: 'permissive' }), PERMISSIVE_TEXT),
      fail500({ Kind: 'proxy-defaults', Name: 'global', MutualTLSMode: 'permissive' }, PERMISSIVE_TEXT),
      ok({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }),
      ok(sd('cgc-perm', { MutualTLSMode: 'permissive' })),
      ok({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false }),
      // already permissive: may stay permissive (and change otherwise)…
      ok(sd('cgc-perm', { MutualTLSMode: 'permissive', Protocol: 'http' })),
      // …but a new one may not, nor a strict one become permissive
      fail500(sd('cgc-perm2', { MutualTLSMode: 'permissive' }), PERMISSIVE_TEXT),
      ok(sd('cgc-perm', { MutualTLSMode: 'strict' })),
      fail500(sd('cgc-perm', { MutualTLSMode: 'permissive' }), PERMISSIVE_TEXT),
    ],
  },
  {
    name: 'L7 intentions need an HTTP protocol, on write and on delete/downgrade of service-defaults',
    cleanup: ['/v1/config/service-defaults/cgc-l7', '/v1/config/service-intentions/cgc-l7'],
    steps: [
      fail500(
        { Kind: 'service-intentions', Name: 'cgc-l7', Sources: [{ Name: 'cgc-api', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/' } }] }] },
        'service "cgc-l7" has protocol "tcp", which is incompatible with L7 intentions permissions',
      ),
      ok(sd('cgc-l7', { Protocol: 'http' })),
      ok({ Kind: 'service-intentions', Name: 'cgc-l7', Sources: [{ Name: 'cgc-api', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/' } }] }] }),
      fail500(sd('cgc-l7', { Protocol: 'tcp' }), 'service "cgc-l7" has protocol "tcp", which is incompatible with L7 intentions permissions'),
      {
        method: 'DELETE',
        path: '/v1/config/service-defaults/cgc-l7',
        expect: { status: 500, body: 'service "cgc-l7" has protocol "tcp", which is incompatible with L7 intentions permissions' },
      },
      {
        method: 'GET',
        path: '/v1/config/service-intentions/cgc-l7',
        expect: { status: 200, body: json((j) => expect(j.Sources[0]).toMatchObject({ Name: 'cgc-api', Precedence: 9, Type: 'consul' })) },
      },
      { method: 'DELETE', path: '/v1/config/service-intentions/cgc-l7', expect: { status: 200, body: '{}' } },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-l7', expect: { status: 200, body: '{}' } },
    ],
  },
  {
    name: 'routers and splitters need an HTTP protocol, and pin the entries that provide it',
    kinds: ['service-router', 'service-splitter'],
    cleanup: [
      '/v1/config/service-defaults/cgc-rs',
      '/v1/config/proxy-defaults/global',
      '/v1/config/service-splitter/cgc-rs',
      '/v1/config/service-router/cgc-rs',
    ],
    steps: [
      fail500(
        { Kind: 'service-router', Name: 'cgc-rs' },
        'discovery chain "cgc-rs" uses a protocol "tcp" that does not permit advanced routing or splitting behavior',
      ),
      ok(sd('cgc-rs', { Protocol: 'http' })),
      ok({ Kind: 'service-router', Name: 'cgc-rs' }),
      fail500(sd('cgc-rs', { Protocol: 'tcp' }), 'discovery chain "cgc-rs" uses a protocol "tcp" that does not permit advanced routing or splitting behavior'),
      {
        method: 'DELETE',
        path: '/v1/config/service-defaults/cgc-rs',
        expect: { status: 500, body: 'discovery chain "cgc-rs" uses a protocol "tcp" that does not permit advanced routing or splitting behavior' },
      },
      ok({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } }),
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-rs', expect: { status: 200, body: '{}' } },
      {
        method: 'DELETE',
        path: '/v1/config/proxy-defaults/global',
        expect: { status: 500, body: 'discovery chain "cgc-rs" uses a protocol "tcp" that does not permit advanced routing or splitting behavior' },
      },
      ok({ Kind: 'service-splitter', Name: 'cgc-rs', Splits: [{ Weight: 100 }] }),
      { method: 'DELETE', path: '/v1/config/service-router/cgc-rs', expect: { status: 200, body: '{}' } },
      { method: 'DELETE', path: '/v1/config/service-splitter/cgc-rs', expect: { status: 200, body: '{}' } },
      { method: 'DELETE', path: '/v1/config/proxy-defaults/global', expect: { status: 200, body: '{}' } },
    ],
  },
  {
    name: 'filter: service-defaults only, go-bexpr grammar, errors are 500',
    cleanup: ['/v1/config/service-defaults/cgc-f1', '/v1/config/service-defaults/cgc-f2', '/v1/config/service-defaults/cgc-f3', '/v1/config/mesh/mesh'],
    steps: [
      ok({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }),
      ok(sd('cgc-f1', { Meta: { suite: 'cgc' } })),
      ok(sd('cgc-f2', { MutualTLSMode: 'strict', Protocol: 'http', Meta: { suite: 'cgc' } })),
      ok(sd('cgc-f3', { MutualTLSMode: 'permissive', Meta: { suite: 'cgc' } })),
      ...(
        [
          ['Meta.suite == "cgc" and MutualTLSMode == ""', ['cgc-f1']],
          ['Meta.suite == "cgc" and MutualTLSMode == "strict"', ['cgc-f2']],
          ['Meta.suite == `cgc` and MutualTLSMode == permissive', ['cgc-f3']],
          ['Meta.suite == "cgc" and (Protocol == http or MutualTLSMode != "")', ['cgc-f2', 'cgc-f3']],
          ['Meta.suite == "cgc" and not MutualTLSMode == ""', ['cgc-f2', 'cgc-f3']],
          ['Meta.suite == "cgc" and "f" in Name and Meta is not empty', ['cgc-f1', 'cgc-f2', 'cgc-f3']],
          ['Meta.suite == "cgc" and Name matches "f[12]$"', ['cgc-f1', 'cgc-f2']],
          ['"suite" in Meta and Name not matches "f[12]$"', ['cgc-f3']],
        ] as const
      ).map(([filter, names]): ContractStep => ({
        method: 'GET',
        path: `/v1/config/service-defaults?filter=${encodeURIComponent(filter)}`,
        expect: { status: 200, headers: META, body: json((j) => expect(j.map((e: any) => e.Name)).toEqual(names)) },
      })),
      {
        method: 'GET',
        path: `/v1/config/proxy-defaults?filter=${encodeURIComponent('Mode == "transparent"')}`,
        expect: { status: 500, body: 'filtering not supported for config entry kind=proxy-defaults' },
      },
      { method: 'GET', path: `/v1/config/service-defaults?filter=${encodeURIComponent('MutualTLSMode = "permissive"')}`, expect: { status: 500 } },
      {
        method: 'GET',
        path: `/v1/config/service-defaults?filter=${encodeURIComponent('Nope == "x"')}`,
        expect: { status: 500, body: (r) => expect(r.text).toContain('Nope') },
      },
    ],
  },
  {
    name: 'an empty ?cas= is no CAS on config writes and deletes; writes ignore ?dc (they go to the primary DC)',
    cleanup: ['/v1/config/service-defaults/cgc-nocas'],
    steps: [
      ok(sd('cgc-nocas'), '?cas='),
      ok(sd('cgc-nocas', { Protocol: 'http' }), '?cas'),
      { method: 'GET', path: '/v1/config/service-defaults/cgc-nocas', expect: { status: 200, body: json((j) => expect(j.Protocol).toBe('http')) } },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-nocas?cas=', expect: { status: 200, body: '{}' } },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-nocas', expect: { status: 404 } },
      ok(sd('cgc-nocas'), '?dc=cgc-nowhere'),
      { method: 'GET', path: '/v1/config/service-defaults/cgc-nocas?dc=cgc-nowhere', expect: { status: 500, body: 'No path to datacenter' } },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-nocas?dc=cgc-nowhere', expect: { status: 200, body: '{}' } },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-nocas', expect: { status: 404 } },
      fail500(
        { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'cgc-x', Consumers: [{ Peer: 'cgc-peer' }] }] },
        'exported-services writes must not target secondary datacenters.',
        '?dc=cgc-nowhere',
      ),
    ],
  },
  {
    name: 'PUT bodies go through encoding/json first: Go syntax texts, first value only, objects only',
    cleanup: ['/v1/config/service-defaults/cgc-first'],
    steps: [
      fail400('{"Kind":"service-defaults","Name":"cgc-x",}', "Request decoding failed: invalid character '}' looking for beginning of object key string"),
      fail400('{"Kind":"service-defaults" "Name":"cgc-x"}', "Request decoding failed: invalid character '\"' after object key:value pair"),
      fail400('{"Kind":', 'Request decoding failed: unexpected EOF'),
      fail400('nope', "Request decoding failed: invalid character 'o' in literal null (expecting 'u')"),
      fail400('[{"Kind":"service-defaults","Name":"cgc-x"}]', "Request decoding failed: '' expected a map, got 'slice'"),
      fail400('"service-defaults"', "Request decoding failed: '' expected a map, got 'string'"),
      fail400('null', 'Request decoding failed: Payload does not contain a kind/Kind key at the top level'),
      ok('{"Kind":"service-defaults","Name":"cgc-first"} {"this is": never read'),
      { method: 'GET', path: '/v1/config/service-defaults/cgc-first', expect: { status: 200 } },
    ],
  },
  {
    name: 'query parameters: consistency is parsed before wait/index; bad max_stale is 400',
    steps: [
      {
        method: 'GET',
        path: '/v1/config/service-defaults?stale&consistent&index=abc',
        expect: { status: 400, body: 'Cannot specify ?stale with ?consistent, conflicting semantics.' },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults?max_stale=5s&consistent',
        expect: { status: 400, body: 'Cannot specify ?stale with ?consistent, conflicting semantics.' },
      },
      { method: 'GET', path: '/v1/config/service-defaults?max_stale=soon', expect: { status: 400, body: 'Invalid max_stale value "soon"' } },
    ],
  },
  {
    name: 'blocking GET of one entry: not woken by other entries; a missing entry blocks until it exists',
    cleanup: [
      '/v1/config/service-defaults/cgc-bq-a',
      '/v1/config/service-defaults/cgc-bq-b',
      '/v1/config/service-defaults/cgc-bq-c',
      '/v1/config/service-defaults/cgc-bq-new',
    ],
    steps: [
      ok(sd('cgc-bq-a')),
      { method: 'GET', path: '/v1/config/service-defaults/cgc-bq-a', expect: { status: 200 }, capture: (r) => ({ idx: indexOf(r) }) },
      {
        method: 'GET',
        path: (v) => `/v1/config/service-defaults/cgc-bq-a?index=${v.idx}&wait=600ms`,
        during: [ok(sd('cgc-bq-b'))],
        expect: {
          status: 200,
          body: (_r, _v, elapsed) => expect(elapsed).toBeGreaterThanOrEqual(550),
          headers: { 'X-Consul-Index': (h, v) => expect(Number(h)).toBe(v.idx) },
        },
      },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-bq-new', expect: { status: 404 }, capture: (r) => ({ idx2: indexOf(r) }) },
      {
        method: 'GET',
        path: (v) => `/v1/config/service-defaults/cgc-bq-new?index=${v.idx2}&wait=600ms`,
        during: [ok(sd('cgc-bq-c'))],
        expect: { status: 404, body: (_r, _v, elapsed) => expect(elapsed).toBeGreaterThanOrEqual(550) },
      },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-bq-new', expect: { status: 404 }, capture: (r) => ({ idx3: indexOf(r) }) },
      {
        method: 'GET',
        path: (v) => `/v1/config/service-defaults/cgc-bq-new?index=${v.idx3}&wait=5s`,
        during: [ok(sd('cgc-bq-new', { Protocol: 'http' }))],
        expect: {
          status: 200,
          body: (r, _v, elapsed) => {
            expect(elapsed).toBeLessThan(4000);
            expect((r.json as any).Protocol).toBe('http');
          },
          headers: { 'X-Consul-Index': (h, v) => expect(Number(h)).toBeGreaterThan(Number(v.idx3)) },
        },
      },
    ],
  },
  {
    name: 'filter: field types limit the operators (strings have no is empty); errors carry bexpr prefix',
    cleanup: ['/v1/config/service-defaults/cgc-fo'],
    steps: [
      ok(sd('cgc-fo', { Meta: { suite: 'cgc-fo' } })),
      ...(
        [
          ['MutualTLSMode is empty', 'Invalid match operator "Is Empty" for selector "MutualTLSMode"'],
          ['Protocol is not empty', 'Invalid match operator "Is Not Empty" for selector "Protocol"'],
          ['Meta == "x"', 'Invalid match operator "Equal" for selector "Meta"'],
          ['TransparentProxy.DialedDirectly matches "t"', 'Invalid match operator "Matches" for selector "TransparentProxy.DialedDirectly"'],
          ['Nope == "x"', 'Selector "Nope" is not valid'],
        ] as const
      ).map(([filter, text]): ContractStep => ({
        method: 'GET',
        path: `/v1/config/service-defaults?filter=${encodeURIComponent(filter)}`,
        expect: { status: 500, body: `Failed to create boolean expression evaluator: ${text}`, headers: { 'Content-Type': TEXT_CT } },
      })),
      {
        method: 'GET',
        path: `/v1/config/service-defaults?filter=${encodeURIComponent('TransparentProxy.DialedDirectly == maybe')}`,
        expect: {
          status: 500,
          body: (r) =>
            expect(r.text).toMatch(
              /^Failed to create boolean expression evaluator: Failed to coerce value "maybe" for selector "TransparentProxy.DialedDirectly"/,
            ),
        },
      },
      {
        method: 'GET',
        path: `/v1/config/service-defaults?filter=${encodeURIComponent('Meta.suite == "cgc-fo" and TransparentProxy.DialedDirectly == false and "cgc" in Name')}`,
        expect: { status: 200, body: json((j) => expect(j.map((e: any) => e.Name)).toEqual(['cgc-fo'])) },
      },
    ],
  },
  {
    name: 'KV: conflicting flags in Go query order, query parsing on writes, strict ?cas/?flags, index headers',
    cleanup: ['/v1/kv/cgc-kv2?recurse'],
    steps: [
      { method: 'PUT', path: '/v1/kv/cgc-kv2/a?cas=1&acquire=x', body: 'v', expect: { status: 400, body: 'Conflicting flags: acquire=x&cas=1\n' } },
      { method: 'DELETE', path: '/v1/kv/cgc-kv2/a?recurse&cas=1', expect: { status: 400, body: 'Conflicting flags: cas=1&recurse=\n' } },
      { method: 'PUT', path: '/v1/kv/cgc-kv2/a?index=abc', body: 'v', expect: { status: 400, body: 'Invalid index' } },
      { method: 'PUT', path: '/v1/kv/cgc-kv2/a?cas=', body: 'v', expect: { status: 500, body: 'strconv.ParseUint: parsing "": invalid syntax' } },
      { method: 'PUT', path: '/v1/kv/cgc-kv2/a?flags=x', body: 'v', expect: { status: 500, body: 'strconv.ParseUint: parsing "x": invalid syntax' } },
      { method: 'PUT', path: '/v1/kv/cgc-kv2/a', body: 'v', expect: { status: 200, body: 'true', headers: { 'X-Consul-Index': null } } },
      { method: 'GET', path: '/v1/kv/cgc-kv2/a', expect: { status: 200 }, capture: (r) => ({ mi: (r.json as any)[0].ModifyIndex }) },
      { method: 'PUT', path: '/v1/kv/cgc-kv2/b', body: 'w', expect: { status: 200, body: 'true' } },
      // a single key reports its own ModifyIndex, a prefix the highest one under it
      { method: 'GET', path: '/v1/kv/cgc-kv2/a', expect: { status: 200, headers: { 'X-Consul-Index': (h, v) => expect(Number(h)).toBe(v.mi) } } },
      {
        method: 'GET',
        path: '/v1/kv/cgc-kv2/?recurse',
        expect: {
          status: 200,
          body: (r, _v) => expect(Number(r.headers.get('X-Consul-Index'))).toBe(Math.max(...(r.json as any[]).map((e) => e.ModifyIndex))),
        },
      },
      { method: 'DELETE', path: '/v1/kv/cgc-kv2/missing?cas=5', expect: { status: 200, body: 'true' } },
      { method: 'DELETE', path: '/v1/kv/cgc-kv2/a?cas=', expect: { status: 500, body: 'strconv.ParseUint: parsing "": invalid syntax' } },
    ],
  },
  {
    name: 'ACL: anonymous is denied with Consul texts, unknown tokens are ACL not found, the token may do all',
    needsAcl: true,
    cleanup: ['/v1/config/service-defaults/cgc-acl'],
    steps: [
      {
        ...put(sd('cgc-acl')),
        expect: {
          status: 403,
          body: `Permission denied: anonymous token lacks permission 'service:write' on "cgc-acl". The anonymous token is used implicitly when a request does not specify a token.`,
        },
      },
      {
        ...put({ Kind: 'mesh' }),
        expect: {
          status: 403,
          body: `Permission denied: anonymous token lacks permission 'mesh:write'. The anonymous token is used implicitly when a request does not specify a token.`,
        },
      },
      { ...put(sd('cgc-acl')), headers: { 'X-Consul-Token': 'cgc-not-a-token' }, expect: { status: 403, body: 'ACL not found' } },
      { ...put(sd('cgc-acl')), headers: (_v, t) => ({ 'X-Consul-Token': t.aclToken! }), expect: { status: 200, body: 'true' } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-acl',
        expect: {
          status: 403,
          body: `Permission denied: anonymous token lacks permission 'service:read' on "cgc-acl". The anonymous token is used implicitly when a request does not specify a token.`,
        },
      },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-acl-missing', expect: { status: 403 } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        expect: {
          status: 200,
          body: json((j) => expect(j.map((e: any) => e.Name)).not.toContain('cgc-acl')),
          headers: { 'X-Consul-Results-Filtered-By-ACLs': null },
        },
      },
      { method: 'GET', path: '/v1/config/proxy-defaults/global', expect: { status: 404 } },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-acl', headers: (_v, t) => ({ Authorization: `Bearer ${t.aclToken!}` }), expect: { status: 200 } },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-acl?token=cgc-not-a-token', expect: { status: 403, body: 'ACL not found' } },
      { method: 'DELETE', path: '/v1/config/service-defaults/cgc-acl', expect: { status: 403 } },
    ],
  },
  {
    // ConfigEntry.List drops what CanRead refuses and answers 200; maskResultsFilteredByACLs keeps
    // X-Consul-Results-Filtered-By-ACLs from the anonymous token; agent/http.go wrap sets the
    // default policy on every response. Health.ServiceNodes answers [] without service:read.
    name: 'ACL: a scoped token sees a filtered list and is told so; the anonymous token is not told',
    needsAcl: true,
    aclTokens: [SCOPED_WEB],
    cleanup: ['/v1/config/service-defaults/cgc-web-a', '/v1/config/service-defaults/cgc-api-a'],
    steps: [
      { ...put(sd('cgc-web-a')), headers: (_v, t) => ({ 'X-Consul-Token': t.aclToken! }), expect: { status: 200, body: 'true' } },
      { ...put(sd('cgc-api-a')), headers: (_v, t) => ({ 'X-Consul-Token': t.aclToken! }), expect: { status: 200, body: 'true' } },
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        expect: {
          status: 200,
          body: json((j) => expect(j.map((e: any) => e.Name).filter((n: string) => n.startsWith('cgc-'))).toEqual(['cgc-web-a'])),
          headers: { 'X-Consul-Results-Filtered-By-ACLs': 'true', 'X-Consul-Default-ACL-Policy': 'deny' },
        },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        expect: {
          status: 200,
          body: json((j) => expect(j.map((e: any) => e.Name)).not.toContain('cgc-api-a')),
          headers: { 'X-Consul-Results-Filtered-By-ACLs': null, 'X-Consul-Default-ACL-Policy': 'deny' },
        },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults',
        headers: (_v, t) => ({ 'X-Consul-Token': t.aclToken! }),
        expect: {
          status: 200,
          body: json((j) => expect(j.map((e: any) => e.Name)).toContain('cgc-api-a')),
          headers: { 'X-Consul-Results-Filtered-By-ACLs': null },
        },
      },
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-api-a',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        expect: { status: 403, body: `Permission denied: token with AccessorID '${SCOPED_WEB.accessorId}' lacks permission 'service:read' on "cgc-api-a"` },
      },
      { method: 'GET', path: '/v1/config/service-defaults/cgc-web-a', headers: { 'X-Consul-Token': SCOPED_WEB.secret }, expect: { status: 200 } },
      {
        method: 'GET',
        path: '/v1/health/connect/cgc-api-a',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        expect: { status: 200, body: '[]', headers: { 'X-Consul-Results-Filtered-By-ACLs': null, 'X-Consul-Default-ACL-Policy': 'deny' } },
      },
      {
        method: 'POST',
        path: '/v1/internal/acl/authorize',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        body: [
          { Resource: 'service', Segment: 'cgc-api-a', Access: 'read' },
          { Resource: 'service', Segment: 'cgc-web-a', Access: 'read' },
        ],
        expect: {
          status: 200,
          body: json((j) =>
            expect(j).toEqual([
              { Resource: 'service', Segment: 'cgc-api-a', Access: 'read', Allow: false },
              { Resource: 'service', Segment: 'cgc-web-a', Access: 'read', Allow: true },
            ]),
          ),
        },
      },
    ],
  },
  {
    name: 'KV: put/get/raw/recurse/keys, cas and delete',
    cleanup: ['/v1/kv/cgc-kv?recurse'],
    steps: [
      { method: 'GET', path: '/v1/kv/cgc-kv/a', expect: { status: 404, body: '', headers: { 'X-Consul-Index': INDEX } } },
      { method: 'PUT', path: '/v1/kv/cgc-kv/a', body: 'hello', expect: { status: 200, body: 'true' } },
      {
        method: 'GET',
        path: '/v1/kv/cgc-kv/a',
        expect: {
          status: 200,
          headers: { 'Content-Type': JSON_CT, ...META },
          body: json((j) => {
            expect(j).toHaveLength(1);
            expect(Object.keys(j[0])).toEqual(['LockIndex', 'Key', 'Flags', 'Value', 'CreateIndex', 'ModifyIndex']);
            expect(j[0]).toMatchObject({ LockIndex: 0, Key: 'cgc-kv/a', Flags: 0, Value: Buffer.from('hello').toString('base64') });
          }),
        },
        capture: (r) => ({ mi: (r.json as any)[0].ModifyIndex }),
      },
      { method: 'GET', path: '/v1/kv/cgc-kv/a?raw', expect: { status: 200, body: 'hello' } },
      { method: 'PUT', path: '/v1/kv/cgc-kv/a?cas=0', body: 'x', expect: { status: 200, body: 'false' } },
      { method: 'PUT', path: (v) => `/v1/kv/cgc-kv/a?cas=${Number(v.mi) + 1000}`, body: 'x', expect: { status: 200, body: 'false' } },
      { method: 'PUT', path: (v) => `/v1/kv/cgc-kv/a?cas=${v.mi}`, body: 'x', expect: { status: 200, body: 'true' } },
      { method: 'PUT', path: '/v1/kv/cgc-kv/b/c?cas=0&flags=42', body: '', expect: { status: 200, body: 'true' } },
      { method: 'GET', path: '/v1/kv/cgc-kv/b/c', expect: { status: 200, body: json((j) => expect(j[0]).toMatchObject({ Flags: 42, Value: null })) } },
      {
        method: 'GET',
        path: '/v1/kv/cgc-kv/?recurse',
        expect: { status: 200, body: json((j) => expect(j.map((e: any) => e.Key)).toEqual(['cgc-kv/a', 'cgc-kv/b/c'])) },
      },
      { method: 'GET', path: '/v1/kv/cgc-kv/?keys&separator=/', expect: { status: 200, body: '["cgc-kv/a","cgc-kv/b/"]' } },
      { method: 'GET', path: '/v1/kv/cgc-kv-none/?keys', expect: { status: 404, body: '' } },
      { method: 'DELETE', path: '/v1/kv/cgc-kv/a?cas=1', expect: { status: 200, body: 'false' } },
      { method: 'DELETE', path: '/v1/kv/cgc-kv/a', expect: { status: 200, body: 'true' } },
      { method: 'DELETE', path: '/v1/kv/cgc-kv/?recurse', expect: { status: 200, body: 'true' } },
      { method: 'GET', path: '/v1/kv/cgc-kv/?recurse', expect: { status: 404 } },
    ],
  },
  {
    name: 'catalog: a registered connect proxy shows up in /v1/health/connect/:service',
    steps: [
      { method: 'GET', path: '/v1/health/connect/cgc-svc', expect: { status: 200, body: '[]', headers: META } },
      {
        method: 'PUT',
        path: '/v1/catalog/register',
        body: {
          Node: 'cgc-node',
          Address: '10.0.0.9',
          Service: {
            ID: 'cgc-svc-sidecar-proxy',
            Service: 'cgc-svc-sidecar-proxy',
            Kind: 'connect-proxy',
            Port: 21000,
            Proxy: { DestinationServiceName: 'cgc-svc', DestinationServiceID: 'cgc-svc', LocalServicePort: 8080 },
          },
        },
        expect: { status: 200, body: 'true' },
      },
      {
        method: 'GET',
        path: '/v1/health/connect/cgc-svc',
        expect: {
          status: 200,
          headers: META,
          body: json((j) => {
            expect(j).toHaveLength(1);
            expect(j[0].Node).toMatchObject({ Node: 'cgc-node', Address: '10.0.0.9' });
            expect(j[0].Service).toMatchObject({
              Kind: 'connect-proxy',
              ID: 'cgc-svc-sidecar-proxy',
              Service: 'cgc-svc-sidecar-proxy',
              Port: 21000,
              Proxy: { DestinationServiceName: 'cgc-svc', LocalServicePort: 8080 },
            });
            expect(Array.isArray(j[0].Checks)).toBe(true);
          }),
        },
      },
      { method: 'PUT', path: '/v1/catalog/deregister', body: { Node: 'cgc-node' }, expect: { status: 200, body: 'true' } },
      { method: 'GET', path: '/v1/health/connect/cgc-svc', expect: { status: 200, body: '[]' } },
    ],
  },
  {
    name: 'catalog: /v1/catalog/services filters ServiceNodes and answers names; /v1/catalog/service/:service the instances',
    steps: [
      {
        method: 'GET',
        path: `/v1/catalog/services?filter=${encodeURIComponent('ServiceName == "cgc-api-sidecar-proxy"')}`,
        expect: { status: 200, body: '{}', headers: META },
      },
      {
        method: 'PUT',
        path: '/v1/catalog/register',
        body: {
          Node: 'cgc-node2',
          Address: '10.0.0.10',
          Service: {
            ID: 'cgc-api-sidecar-proxy',
            Service: 'cgc-api-sidecar-proxy',
            Kind: 'connect-proxy',
            Port: 21000,
            Tags: ['b', 'a'],
            Proxy: { DestinationServiceName: 'cgc-api', LocalServicePort: 8080 },
          },
        },
        expect: { status: 200, body: 'true' },
      },
      {
        method: 'GET',
        path: `/v1/catalog/services?filter=${encodeURIComponent('ServiceKind == "connect-proxy" and ServiceProxy.DestinationServiceName == "cgc-api"')}`,
        expect: { status: 200, headers: META, body: json((j) => expect(j).toEqual({ 'cgc-api-sidecar-proxy': expect.arrayContaining(['a', 'b']) })) },
      },
      {
        method: 'GET',
        path: `/v1/catalog/services?filter=${encodeURIComponent('ServiceKind == "connect-proxy" and ServiceProxy.DestinationServiceName == "cgc-other"')}`,
        expect: { status: 200, body: '{}' },
      },
      {
        method: 'GET',
        path: `/v1/catalog/services?filter=${encodeURIComponent('Nope == "x"')}`,
        expect: { status: 500, body: 'Failed to create boolean expression evaluator: Selector "Nope" is not valid' },
      },
      {
        method: 'GET',
        path: '/v1/catalog/service/cgc-api-sidecar-proxy',
        expect: {
          status: 200,
          headers: META,
          body: json((j) => {
            expect(j).toHaveLength(1);
            expect(j[0]).toMatchObject({
              Node: 'cgc-node2',
              Address: '10.0.0.10',
              ServiceKind: 'connect-proxy',
              ServiceName: 'cgc-api-sidecar-proxy',
              ServicePort: 21000,
              ServiceProxy: { DestinationServiceName: 'cgc-api' },
            });
          }),
        },
      },
      { method: 'PUT', path: '/v1/catalog/deregister', body: { Node: 'cgc-node2' }, expect: { status: 200, body: 'true' } },
      { method: 'GET', path: '/v1/catalog/service/cgc-api-sidecar-proxy', expect: { status: 200, body: '[]' } },
    ],
  },
  {
    name: "posture reads: agent self (TLS, gossip, sidecar ports) and the CA configuration, in Consul's shapes",
    steps: [
      {
        method: 'GET',
        path: '/v1/agent/self',
        expect: {
          status: 200,
          headers: { 'Content-Type': JSON_CT, 'X-Consul-Default-ACL-Policy': /^(allow|deny)$/ },
          body: json((j) => {
            expect(typeof j.Config.NodeName).toBe('string');
            // tlsutil.Config inside the sanitized RuntimeConfig: the verify flags live under InternalRPC.
            expect(j.DebugConfig.TLS.InternalRPC).toMatchObject({
              VerifyIncoming: expect.any(Boolean),
              VerifyOutgoing: expect.any(Boolean),
              VerifyServerHostname: expect.any(Boolean),
            });
            expect(j.DebugConfig).toMatchObject({ ConnectSidecarMinPort: expect.any(Number), ConnectSidecarMaxPort: expect.any(Number) });
            expect(j.Stats.serf_lan.encrypted).toMatch(/^(true|false)$/);
          }),
        },
      },
      {
        method: 'GET',
        path: '/v1/connect/ca/configuration',
        expect: {
          status: 200,
          headers: { 'Content-Type': JSON_CT },
          body: json((j) => expect(j).toMatchObject({ Provider: expect.any(String), Config: expect.any(Object), CreateIndex: expect.any(Number) })),
        },
      },
    ],
  },
  {
    name: 'ACL: token self names the token; agent self needs agent:read and the CA configuration operator:read',
    needsAcl: true,
    aclTokens: [SCOPED_WEB],
    steps: [
      {
        method: 'GET',
        path: '/v1/acl/token/self',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        expect: {
          status: 200,
          headers: { 'X-Consul-Default-ACL-Policy': 'deny' },
          body: json((j) => expect(j).toMatchObject({ AccessorID: SCOPED_WEB.accessorId, Policies: expect.any(Array) })),
        },
      },
      {
        method: 'GET',
        path: '/v1/agent/self',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        expect: {
          status: 403,
          body: (res) =>
            expect(res.text).toMatch(new RegExp(`^Permission denied: token with AccessorID '${SCOPED_WEB.accessorId}' lacks permission 'agent:read' on ".+"$`)),
        },
      },
      {
        method: 'GET',
        path: '/v1/connect/ca/configuration',
        headers: { 'X-Consul-Token': SCOPED_WEB.secret },
        expect: { status: 403, body: `Permission denied: token with AccessorID '${SCOPED_WEB.accessorId}' lacks permission 'operator:read'` },
      },
    ],
  },
  ...WRITE_CHECK_CASES,
];
