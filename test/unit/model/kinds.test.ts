// Each registered kind normalises and validates the way Consul's Normalize()/Validate() do.
import { describe, expect, it } from 'vitest';
import { aliasesOf, fieldSpec, zodOf, type FieldType } from '../../../src/model/field-types.ts';
import type { ApiEntry, KindDefinition } from '../../../src/model/kind-definition.ts';
import { KINDS, kindDefinition, kindForCrd } from '../../../src/model/registry.ts';
import { parseConsulVersion } from '../../../src/model/consul-versions.ts';
import { entryProblems } from '../../../src/core/entry-rules.ts';

const def = (kind: string): KindDefinition => {
  const d = kindDefinition(kind);
  if (!d) throw new Error(`no kind ${kind}`);
  return d;
};
const normalize = (e: ApiEntry) => def(e.Kind).normalize!(e);
// What production checks (src/core/entry-rules.ts), not one kind's own function: one source of truth.
const problems = (e: ApiEntry) => entryProblems(normalize(e));
const messages = (e: ApiEntry) => problems(e).map((p) => p.message);

/** Follows an object-field path through a kind's fields. */
function fieldAt(kind: string, path: string[]) {
  let fields = def(kind).fields;
  let spec = fieldSpec(fields[path[0]]);
  for (const name of path.slice(1)) {
    let t: FieldType = spec.type;
    while (t.t === 'list' || t.t === 'map') t = t.of;
    if (t.t !== 'object') throw new Error(`${name}: not an object`);
    fields = t.fields;
    spec = fieldSpec(fields[name]);
  }
  return spec;
}

describe('registry', () => {
  it('holds every kind once, sorted by apply order', () => {
    const kinds = KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual(expect.arrayContaining(['service-router', 'exported-services', 'jwt-provider', 'bound-api-gateway']));
    const orders = KINDS.map((k) => k.applyOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(def('service-resolver').applyOrder).toBeLessThan(def('service-splitter').applyOrder);
    expect(def('service-splitter').applyOrder).toBeLessThan(def('service-router').applyOrder);
  });

  it('maps consul-k8s CRD kinds; gateway-API kinds have none', () => {
    expect(kindForCrd('ServiceRouter')?.kind).toBe('service-router');
    expect(kindForCrd('JWTProvider')?.kind).toBe('jwt-provider');
    expect(kindForCrd('ControlPlaneRequestLimit')?.kind).toBe('control-plane-request-limit');
    for (const k of ['api-gateway', 'http-route', 'tcp-route', 'inline-certificate', 'file-system-certificate', 'bound-api-gateway'])
      expect(def(k).crdKind).toBeUndefined();
  });

  it('gives every kind a zod schema of its API form', () => {
    for (const k of KINDS) expect(() => zodOf({ t: 'object', fields: k.fields })).not.toThrow();
  });

  it('marks enterprise-only and controller-owned kinds', () => {
    expect(def('sameness-group').enterpriseOnly).toBe('sameness-groups are an enterprise-only feature');
    expect(def('control-plane-request-limit').enterpriseOnly).toBe('invalid config entry kind: control-plane-request-limit');
    expect(def('bound-api-gateway').controllerOwned).toBe(true);
  });

  it('never mutates its input and always sets Kind', () => {
    const input: ApiEntry = { Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { Methods: ['get'] } } }] };
    const copy = structuredClone(input);
    const out = normalize(input);
    expect(input).toEqual(copy);
    expect(out.Kind).toBe('service-router');
  });
});

describe('aliases follow the api struct tags', () => {
  it('uses Consul spellings where they differ from the derived snake_case', () => {
    expect(aliasesOf('Peer', fieldAt('exported-services', ['Services', 'Consumers', 'Peer']))).toEqual(['peer_name']);
    expect(aliasesOf('MaxVersion', fieldAt('api-gateway', ['Listeners', 'TLS', 'MaxVersion']))).toEqual(['tls_max_version']);
    expect(aliasesOf('EnforcingConsecutive5xx', fieldAt('ingress-gateway', ['Defaults', 'PassiveHealthCheck', 'EnforcingConsecutive5xx']))).toEqual([
      'enforcing_consecutive_5xx',
    ]);
  });

  it('has none where the struct has no alias tag', () => {
    expect(aliasesOf('MaxConnections', fieldAt('ingress-gateway', ['Defaults', 'MaxConnections']))).toEqual([]);
    expect(aliasesOf('URLRewrite', fieldAt('http-route', ['Rules', 'Filters', 'URLRewrite']))).toEqual([]);
    expect(aliasesOf('ReadRate', fieldAt('control-plane-request-limit', ['ReadRate']))).toEqual([]);
  });

  it('derives the tagged ones', () => {
    expect(aliasesOf('ServiceSubset', fieldAt('service-router', ['Routes', 'Destination', 'ServiceSubset']))).toEqual(['service_subset']);
    expect(aliasesOf('JSONWebKeySet', fieldAt('jwt-provider', ['JSONWebKeySet']))).toEqual(['json_web_key_set']);
    expect(aliasesOf('CAFile', fieldAt('terminating-gateway', ['Services', 'CAFile']))).toEqual(['ca_file']);
  });

  it('encodes resolver and route timeouts as duration strings, others as nanoseconds', () => {
    expect(fieldAt('service-resolver', ['ConnectTimeout']).type).toEqual({ t: 'duration', encoding: 'string' });
    expect(fieldAt('service-resolver', ['RequestTimeout']).type).toEqual({ t: 'duration', encoding: 'string' });
    expect(fieldAt('service-router', ['Routes', 'Destination', 'IdleTimeout']).type).toEqual({ t: 'duration', encoding: 'string' });
    expect(fieldAt('http-route', ['Rules', 'Filters', 'TimeoutFilter', 'RequestTimeout']).type).toEqual({
      t: 'duration',
      encoding: 'nanoseconds',
    });
  });

  it('keeps the api struct field order', () => {
    // CredentialInjection before Services, as every 2026 Consul test literal writes it (the struct itself was not readable).
    expect(Object.keys(def('terminating-gateway').fields)).toEqual(['Name', 'CredentialInjection', 'Services', 'Meta', 'Partition', 'Namespace']);
    // The newest api struct's place for the gateway-level TLS was not readable: after Listeners, as
    // ingress-gateway's Defaults follows its Listeners. Nor was that of `Defaults` (UpstreamLimits): after TLS.
    expect(Object.keys(def('api-gateway').fields)).toEqual(['Name', 'Meta', 'Listeners', 'TLS', 'Defaults', 'ExtAuthz', 'Status', 'Partition', 'Namespace']);
    expect(Object.keys(def('exported-services').fields)).toEqual(['Name', 'Partition', 'Services', 'Meta']);
  });
});

describe('service-router', () => {
  it('upper-cases match methods', () => {
    const out = normalize({ Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { Methods: ['get', 'Post'] } } }, {}] });
    expect(out.Routes).toEqual([{ Match: { HTTP: { Methods: ['GET', 'POST'] } } }, {}]);
  });

  it('reports Consul messages with the API field path', () => {
    const entry: ApiEntry = {
      Kind: 'service-router',
      Name: 'web',
      Routes: [
        { Match: { HTTP: { PathExact: 'foo' } } },
        { Match: { HTTP: { PathPrefix: '/a', PathRegex: '.*' } } },
        { Match: { HTTP: { Header: [{ Exact: 'x' }], Methods: ['FETCH'] } } },
        { Match: { HTTP: { PathRegex: '/x' } }, Destination: { PrefixRewrite: '/' } },
        { Destination: { RetryOn: ['bogus'] } },
      ],
    };
    expect(problems(entry)).toEqual([
      { field: 'Routes[0].Match.HTTP.PathExact', message: `Route[0] PathExact doesn't start with '/': "foo"` },
      { field: 'Routes[1].Match.HTTP', message: 'Route[1] should only contain at most one of PathExact, PathPrefix, or PathRegex' },
      { field: 'Routes[2].Match.HTTP.Header[0].Name', message: 'Route[2] Header[0] missing required Name field' },
      { field: 'Routes[2].Match.HTTP.Methods', message: 'Route[2] Methods contains an invalid method "FETCH"' },
      {
        field: 'Routes[3].Destination.PrefixRewrite',
        message: 'Route[3] cannot make use of PrefixRewrite without configuring either PathExact or PathPrefix',
      },
      { field: 'Routes[4].Destination.RetryOn', message: 'Route[4] contains an invalid retry condition: "bogus"' },
    ]);
  });

  it('requires a name and accepts a valid router', () => {
    expect(messages({ Kind: 'service-router', Routes: [] })).toEqual(['Name is required']);
    expect(messages({ Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { PathPrefix: '/api', Methods: ['get'] } } }] })).toEqual([]);
  });
});

describe('service-splitter', () => {
  it('rounds weights to 0.01 as float32', () => {
    const out = normalize({ Kind: 'service-splitter', Name: 'web', Splits: [{ Weight: 33.333 }, { Weight: 66.6666, Service: 'b' }] });
    expect((out.Splits as { Weight: number }[]).map((s) => s.Weight)).toEqual([33.33, 66.67]);
  });

  it('checks splits, duplicates and the weight sum (Go %f)', () => {
    expect(messages({ Kind: 'service-splitter', Name: 'web' })).toEqual(['no splits configured']);
    expect(messages({ Kind: 'service-splitter', Name: 'web', Splits: [{ Weight: 50 }, { Weight: 49 }] })).toEqual([
      'split destination occurs more than once: service="web", subset="", namespace="", partition=""',
      'the sum of all split weights must be 100, not 99.000000',
    ]);
    expect(
      messages({
        Kind: 'service-splitter',
        Name: 'web',
        Splits: [
          { Weight: 33.33, Service: 'a' },
          { Weight: 33.33, Service: 'b' },
        ],
      }),
    ).toEqual(['the sum of all split weights must be 100, not 66.660004']);
    expect(messages({ Kind: 'service-splitter', Name: 'web', Splits: [{ Weight: 33.333 }, { Weight: 66.667, Service: 'b' }] })).toEqual([]);
  });
});

describe('service-resolver', () => {
  it('normalises to itself plus Kind', () => {
    expect(normalize({ Kind: 'service-resolver', Name: 'web', ConnectTimeout: '5s' })).toEqual({
      Kind: 'service-resolver',
      Name: 'web',
      ConnectTimeout: '5s',
    });
  });

  it('checks subsets, redirect vs failover, timeouts and the load balancer', () => {
    expect(messages({ Kind: 'service-resolver', Name: 'web', DefaultSubset: 'v9', Subsets: { v1: {}, V2: {} } })).toEqual([
      `Subset "V2" is invalid: must be 63 characters or fewer, begin or end with lower case alphanumeric characters, and contain lower case alphanumeric characters or '-' in between`,
      'DefaultSubset "v9" is not a valid subset',
    ]);
    expect(messages({ Kind: 'service-resolver', Name: 'web', Redirect: { Service: 'db' }, Failover: { '*': { Datacenters: ['dc2'] } } })).toEqual([
      'Redirect and Failover cannot both be set',
    ]);
    expect(messages({ Kind: 'service-resolver', Name: 'web', Redirect: {} })).toEqual(['Redirect is empty']);
    expect(messages({ Kind: 'service-resolver', Name: 'web', Failover: { v1: { Service: 'x' } } })).toEqual(['Bad Failover["v1"]: not a valid subset subset']);
    expect(messages({ Kind: 'service-resolver', Name: 'web', ConnectTimeout: '-5s' })).toEqual(["Bad ConnectTimeout '-5s', must be >= 0"]);
    expect(messages({ Kind: 'service-resolver', Name: 'web', LoadBalancer: { Policy: 'fastest' } })).toEqual([
      'Bad LoadBalancer policy: "fastest" is not supported',
    ]);
    expect(messages({ Kind: 'service-resolver', Name: 'web', LoadBalancer: { Policy: 'ring_hash', HashPolicies: [{ Field: 'header' }] } })).toEqual([
      'Bad LoadBalancer HashPolicy[0]: Field "header" was specified without a FieldValue',
    ]);
    expect(
      messages({
        Kind: 'service-resolver',
        Name: 'web',
        DefaultSubset: 'v1',
        Subsets: { v1: { Filter: 'Service.Meta.version == v1' } },
        ConnectTimeout: '15s',
      }),
    ).toEqual([]);
  });
});

describe('ingress-gateway', () => {
  it('defaults listener protocol to tcp and lower-cases it', () => {
    const out = normalize({ Kind: 'ingress-gateway', Name: 'ig', Listeners: [{ Port: 1 }, { Port: 2, Protocol: 'HTTP' }] });
    expect((out.Listeners as { Protocol: string }[]).map((l) => l.Protocol)).toEqual(['tcp', 'http']);
  });

  it('checks listener rules', () => {
    expect(
      messages({
        Kind: 'ingress-gateway',
        Name: 'ig',
        Listeners: [
          { Port: 8080, Services: [{ Name: 'a' }, { Name: 'b' }] },
          { Port: 8080, Protocol: 'udp', Services: [{ Name: 'c' }] },
          { Port: 9090, Protocol: 'http', Services: [] },
          { Port: 9091, Protocol: 'http', Services: [{ Name: '' }, { Name: 'x', Hosts: ['a.com'] }, { Name: 'y', Hosts: ['a.com'] }] },
          { Port: 9092, Services: [{ Name: '*' }] },
        ],
      }),
    ).toEqual([
      "Multiple services per listener are only supported for L7 protocols, 'http', 'grpc' and 'http2' (listener on port 8080)",
      // Consul's Validate stops at a listener's first error: the udp listener's port, not its protocol.
      'port 8080 declared on two listeners',
      'No service declared for listener with port 9090',
      'Service name cannot be blank (listener on port 9091)',
      'Hosts must be unique within a specific listener (listener on port 9091)',
      "Wildcard service name is only valid for protocol = 'http' (listener on port 9092)",
    ]);
  });
});

describe('terminating-gateway', () => {
  it('checks linked services', () => {
    expect(
      problems({
        Kind: 'terminating-gateway',
        Name: 'tg',
        Services: [{}, { Name: 'db', CertFile: 'c' }, { Name: 'db' }],
      }),
    ).toEqual([
      { field: 'Services[0].Name', message: 'Service name cannot be blank.' },
      { field: 'Services[1]', message: 'Service "db" must have a CertFile, CAFile, and KeyFile specified for TLS origination' },
      { field: 'Services[2].Name', message: 'Service "db" was specified more than once within a namespace' },
    ]);
  });
});

describe('api-gateway and routes', () => {
  it('normalises listener protocol and certificate kind', () => {
    const out = normalize({
      Kind: 'api-gateway',
      Name: 'gw',
      Listeners: [{ Name: 'l', Port: 80, Protocol: 'HTTP', TLS: { Certificates: [{ Name: 'c' }] } }],
    });
    expect(out.Listeners).toEqual([{ Name: 'l', Port: 80, Protocol: 'http', TLS: { Certificates: [{ Name: 'c', Kind: 'inline-certificate' }] } }]);
  });

  it('validates listeners', () => {
    expect(messages({ Kind: 'api-gateway', Name: 'gw' })).toEqual(['api gateway must have at least one listener']);
    expect(
      messages({
        Kind: 'api-gateway',
        Name: 'gw',
        Listeners: [
          { Name: 'L', Port: 0, Protocol: 'udp' },
          { Name: 'ok', Port: 443, Protocol: 'tcp', Hostname: 'x' },
        ],
      }),
    ).toEqual([
      'listener name "L" is invalid, must be at least 1 character and contain only letters, numbers, or dashes',
      // One error per listener, as Consul's validateListeners returns: L's protocol, not its port.
      `unsupported listener protocol "udp", must be one of 'tcp', or 'http'`,
      'hostname specification is not supported when using TCP',
    ]);
  });

  it('http-route: normalises matches and weights, validates parents and matches', () => {
    const out = normalize({
      Kind: 'http-route',
      Name: 'r',
      Parents: [{ Name: 'gw' }],
      Rules: [{ Matches: [{ Method: 'get' }], Services: [{ Name: 'web' }] }],
    });
    expect(out.Parents).toEqual([{ Name: 'gw', Kind: 'api-gateway' }]);
    // Newest Consul keeps Weight 0 (no traffic) and only turns a negative weight into 1; before 1.22, 0 became 1.
    expect(out.Rules).toEqual([{ Matches: [{ Method: 'GET', Path: { Match: 'prefix', Value: '/' } }], Services: [{ Name: 'web' }] }]);
    const weights = (e: ApiEntry) => (e.Rules as { Services: { Weight?: number }[] }[])[0].Services.map((s) => s.Weight);
    const twoServices: ApiEntry = {
      Kind: 'http-route',
      Name: 'r',
      Rules: [
        {
          Services: [
            { Name: 'a', Weight: -3 },
            { Name: 'b', Weight: 0 },
          ],
        },
      ],
    };
    expect(weights(def('http-route').normalize!(twoServices))).toEqual([1, 0]);
    expect(weights(def('http-route').normalize!(twoServices, parseConsulVersion('1.21.9')))).toEqual([1, 1]);
    expect(
      messages({
        Kind: 'http-route',
        Name: 'r',
        Parents: [{ Kind: 'ingress-gateway', Name: 'x' }],
        Hostnames: ['*.example.com'],
        Rules: [{ Matches: [{ Path: { Match: 'exact', Value: 'x' } }, { Headers: [{ Name: 'h', Match: 'bad' }] }] }],
      }),
    ).toEqual([
      'host "*.example.com" must not be a wildcard',
      `unsupported parent kind: "ingress-gateway", must be 'api-gateway'`,
      `Rule[0], Match[0], Path, exact type match doesn't start with '/': "x"`,
      'Rule[0], Match[1], Headers[0], match type should be one of present, exact, prefix, suffix, or regex',
    ]);
  });

  it('tcp-route: one service, unique parents', () => {
    expect(
      messages({
        Kind: 'tcp-route',
        Name: 't',
        Parents: [{ Name: 'gw' }, { Name: 'gw', Kind: 'api-gateway' }],
        Services: [{ Name: 'a' }, { Name: 'b' }],
      }),
    ).toEqual(['tcp-route currently only supports one service', 'route parents must be unique']);
  });

  it('inline-certificate needs PEM blocks; file-system-certificate only Meta checks', () => {
    expect(messages({ Kind: 'inline-certificate', Name: 'c', Certificate: 'x', PrivateKey: 'y' })).toEqual(['failed to parse private key PEM']);
    expect(messages({ Kind: 'file-system-certificate', Name: 'c', Certificate: '/a', PrivateKey: '/b' })).toEqual([]);
  });
});

describe('exported-services', () => {
  it('clears service namespaces (CE)', () => {
    const out = normalize({ Kind: 'exported-services', Name: 'default', Services: [{ Name: 'web', Namespace: 'x', Consumers: [{ Peer: 'p' }] }] });
    expect(out.Services).toEqual([{ Name: 'web', Consumers: [{ Peer: 'p' }] }]);
  });

  it('checks name and consumers', () => {
    expect(def('exported-services').nameRule).toMatchObject({ rule: 'fixed', name: 'default' });
    expect(
      problems({
        Kind: 'exported-services',
        Name: 'other',
        Services: [{ Name: '' }, { Name: 'a' }, { Name: 'b', Consumers: [{ Peer: 'p', Partition: 'q' }, { SamenessGroup: 'sg' }] }],
      }),
    ).toEqual([
      { field: 'Name', message: 'exported-services Name must be "default"' },
      { field: 'Services[0].Name', message: 'Services[0]: service name cannot be empty' },
      { field: 'Services[1].Consumers', message: 'Services[1]: must have at least one consumer' },
      { field: 'Services[2].Consumers[0]', message: 'Services[2].Consumers[0]: must define at most one of Peer, Partition, or SamenessGroup' },
      { field: 'Services[2].Consumers[1].SamenessGroup', message: 'Services[2].Consumers[1]: sameness-groups are an enterprise-only feature' },
    ]);
  });
});

describe('jwt-provider', () => {
  it('defaults ClockSkewSeconds to 30', () => {
    expect(normalize({ Kind: 'jwt-provider', Name: 'okta' }).ClockSkewSeconds).toBe(30);
    expect(normalize({ Kind: 'jwt-provider', Name: 'okta', ClockSkewSeconds: 5 }).ClockSkewSeconds).toBe(5);
  });

  it('validates name, key set, locations and forwarding', () => {
    expect(messages({ Kind: 'jwt-provider' })).toEqual(['Name is required']);
    expect(messages({ Kind: 'jwt-provider', Name: 'okta' })).toEqual(['JSONWebKeySet is required']);
    expect(
      messages({
        Kind: 'jwt-provider',
        Name: 'okta',
        JSONWebKeySet: { Local: { Filename: '/a' }, Remote: { URI: 'https://x' } },
        Locations: [{ Header: {} }],
        Forwarding: {},
      }),
    ).toEqual([
      'must specify exactly one of Local or Remote JSON Web key set',
      'JWT location header name must be specified',
      'Header name required for forwarding config',
    ]);
    expect(messages({ Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: 'https://x/jwks' } } })).toEqual([]);
  });
});
