// consul-k8s CRD documents map to the same entries the API form gives: one test per CRD kind.
import { describe, expect, it } from 'vitest';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { KINDS } from '../../../src/model/registry.ts';

function crd(kind: string, name: string, spec: string): string {
  return `apiVersion: consul.hashicorp.com/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}

function decodeOne(text: string): Record<string, unknown> {
  const tree = parseSourceFiles([{ path: 'crd.yaml', text }]);
  expect(tree.errors).toEqual([]);
  expect(tree.entries).toHaveLength(1);
  return tree.entries[0].entry;
}

const cases: { crdKind: string; name: string; spec: string; expected: Record<string, unknown> }[] = [
  {
    crdKind: 'ServiceDefaults',
    name: 'web',
    spec: `
protocol: http
mode: transparent
mutualTLSMode: permissive
transparentProxy:
  outboundListenerPort: 15001
  dialedDirectly: true
meshGateway:
  mode: local
upstreamConfig:
  overrides:
    - name: db
      connectTimeoutMs: 1000
      passiveHealthCheck:
        interval: 5s
        maxFailures: 3
  defaults:
    limits:
      maxConnections: 10
destination:
  addresses: [api.example.com]
  port: 443
maxInboundConnections: 20
balanceInboundConnections: exact_balance`,
    expected: {
      Kind: 'service-defaults',
      Name: 'web',
      Protocol: 'http',
      Mode: 'transparent',
      MutualTLSMode: 'permissive',
      TransparentProxy: { OutboundListenerPort: 15001, DialedDirectly: true },
      MeshGateway: { Mode: 'local' },
      UpstreamConfig: {
        Overrides: [{ Name: 'db', ConnectTimeoutMs: 1000, PassiveHealthCheck: { Interval: 5_000_000_000, MaxFailures: 3 } }],
        Defaults: { Limits: { MaxConnections: 10 } },
      },
      Destination: { Addresses: ['api.example.com'], Port: 443 },
      MaxInboundConnections: 20,
      BalanceInboundConnections: 'exact_balance',
    },
  },
  {
    crdKind: 'ProxyDefaults',
    name: 'global',
    spec: `
mode: transparent
mutualTLSMode: strict
config:
  protocol: http
  envoy_prometheus_bind_addr: 0.0.0.0:9102
meshGateway:
  mode: remote
accessLogs:
  enabled: true
  type: stdout`,
    expected: {
      Kind: 'proxy-defaults',
      Name: 'global',
      Mode: 'transparent',
      MutualTLSMode: 'strict',
      Config: { protocol: 'http', envoy_prometheus_bind_addr: '0.0.0.0:9102' },
      MeshGateway: { Mode: 'remote' },
      AccessLogs: { Enabled: true, Type: 'stdout' },
    },
  },
  {
    crdKind: 'Mesh',
    name: 'mesh',
    spec: `
allowEnablingPermissiveMutualTLS: true
transparentProxy:
  meshDestinationsOnly: true
tls:
  incoming:
    tlsMinVersion: TLSv1_2
http:
  sanitizeXForwardedClientCert: true
peering:
  peerThroughMeshGateways: true`,
    expected: {
      Kind: 'mesh',
      AllowEnablingPermissiveMutualTLS: true,
      TransparentProxy: { MeshDestinationsOnly: true },
      TLS: { Incoming: { TLSMinVersion: 'TLSv1_2' } },
      HTTP: { SanitizeXForwardedClientCert: true },
      Peering: { PeerThroughMeshGateways: true },
    },
  },
  {
    crdKind: 'ServiceIntentions',
    name: 'any-k8s-name',
    spec: `
destination:
  name: api
sources:
  - name: web
    action: allow
  - name: admin
    permissions:
      - action: allow
        http:
          pathPrefix: /admin
          methods: [GET, post]`,
    expected: {
      Kind: 'service-intentions',
      Name: 'api',
      Sources: [
        { Name: 'web', Action: 'allow' },
        { Name: 'admin', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/admin', Methods: ['GET', 'post'] } }] },
      ],
    },
  },
  {
    crdKind: 'ServiceRouter',
    name: 'web',
    spec: `
routes:
  - match:
      http:
        pathPrefix: /admin
        header:
          - name: x-debug
            present: true
    destination:
      service: admin
      requestTimeout: 10s
      numRetries: 2`,
    expected: {
      Kind: 'service-router',
      Name: 'web',
      Routes: [
        {
          Match: { HTTP: { PathPrefix: '/admin', Header: [{ Name: 'x-debug', Present: true }] } },
          Destination: { Service: 'admin', RequestTimeout: '10s', NumRetries: 2 },
        },
      ],
    },
  },
  {
    crdKind: 'ServiceSplitter',
    name: 'web',
    spec: `
splits:
  - weight: 90
    serviceSubset: v1
  - weight: 10
    serviceSubset: v2`,
    expected: {
      Kind: 'service-splitter',
      Name: 'web',
      Splits: [
        { Weight: 90, ServiceSubset: 'v1' },
        { Weight: 10, ServiceSubset: 'v2' },
      ],
    },
  },
  {
    crdKind: 'ServiceResolver',
    name: 'web',
    spec: `
defaultSubset: v1
subsets:
  v1:
    filter: Service.Meta.version == v1
  v2:
    filter: Service.Meta.version == v2
connectTimeout: 15s
loadBalancer:
  policy: least_request`,
    expected: {
      Kind: 'service-resolver',
      Name: 'web',
      DefaultSubset: 'v1',
      Subsets: { v1: { Filter: 'Service.Meta.version == v1' }, v2: { Filter: 'Service.Meta.version == v2' } },
      ConnectTimeout: '15s',
      LoadBalancer: { Policy: 'least_request' },
    },
  },
  {
    crdKind: 'IngressGateway',
    name: 'ingress',
    spec: `
listeners:
  - port: 8080
    protocol: http
    services:
      - name: web
        hosts: [web.example.com]`,
    expected: {
      Kind: 'ingress-gateway',
      Name: 'ingress',
      Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web', Hosts: ['web.example.com'] }] }],
    },
  },
  {
    crdKind: 'TerminatingGateway',
    name: 'egress',
    spec: `
services:
  - name: legacy-db
    caFile: /etc/ca.pem
    sni: db.internal`,
    expected: { Kind: 'terminating-gateway', Name: 'egress', Services: [{ Name: 'legacy-db', CAFile: '/etc/ca.pem', SNI: 'db.internal' }] },
  },
  {
    crdKind: 'ExportedServices',
    name: 'default',
    spec: `
services:
  - name: api
    consumers:
      - peer: east`,
    expected: { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'east' }] }] },
  },
  {
    crdKind: 'SamenessGroup',
    name: 'group',
    spec: `
defaultForFailover: true
members:
  - partition: default
  - peer: east`,
    expected: { Kind: 'sameness-group', Name: 'group', DefaultForFailover: true, Members: [{ Partition: 'default' }, { Peer: 'east' }] },
  },
  {
    crdKind: 'JWTProvider',
    name: 'okta',
    spec: `
issuer: https://okta.example.com
jsonWebKeySet:
  remote:
    uri: https://okta.example.com/keys`,
    expected: {
      Kind: 'jwt-provider',
      Name: 'okta',
      Issuer: 'https://okta.example.com',
      JSONWebKeySet: { Remote: { URI: 'https://okta.example.com/keys' } },
    },
  },
  {
    crdKind: 'ControlPlaneRequestLimit',
    name: 'global-limits',
    spec: `
mode: permissive
readRate: 100
writeRate: 50.5
kv:
  readRate: 10
  writeRate: 5`,
    expected: {
      Kind: 'control-plane-request-limit',
      Name: 'global-limits',
      Mode: 'permissive',
      ReadRate: 100,
      WriteRate: 50.5,
      KV: { ReadRate: 10, WriteRate: 5 },
    },
  },
];

describe('CRD mapping (consul-k8s ToConsul)', () => {
  for (const c of cases) {
    it(`${c.crdKind} maps to ${String(c.expected.Kind)}`, () => {
      expect(decodeOne(crd(c.crdKind, c.name, c.spec))).toEqual(c.expected);
    });
  }

  it('covers every kind in the registry that has a CRD', () => {
    const tested = new Set(cases.map((c) => c.crdKind));
    const untested = KINDS.filter((k) => k.crdKind && !tested.has(k.crdKind));
    expect(untested.map((k) => k.crdKind)).toEqual([]);
  });

  it('reads several CRDs from one multi-document file, skipping empty documents', () => {
    const text = `${crd('ServiceDefaults', 'a', 'protocol: http')}---\n---\n${crd('ServiceDefaults', 'b', 'protocol: grpc')}`;
    const tree = parseSourceFiles([{ path: 'multi.yaml', text }]);
    expect(tree.errors).toEqual([]);
    expect(tree.entries.map((e) => [e.entry.Name, e.entry.Protocol, e.pos.line])).toEqual([
      ['a', 'http', 1],
      ['b', 'grpc', 10],
    ]);
  });

  it('reports an unknown spec field at its line with the API path', () => {
    const tree = parseSourceFiles([{ path: 'bad.yaml', text: crd('ServiceDefaults', 'web', 'protocol: http\nmutualTlsMod: strict') }]);
    expect(tree.errors).toMatchObject([{ file: 'bad.yaml', line: 8, column: 3, field: 'mutualTlsMod', message: 'invalid config key "mutualTlsMod"' }]);
  });
});
