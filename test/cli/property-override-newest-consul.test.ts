// Issue 11 class 5: property-override's dry run (PatchStruct) as the newest Consul source has it.
// Consul's structpatcher_test.go TestPatchStruct ("Copyright IBM Corp. 2024, 2026", commit 2b81120)
// pins each case below, by its name; the texts come from structpatcher.go (BUSL header):
// findTargetMessageAndField refuses a Path going on below a scalar field or an Any, applyAdd a map
// Value for a scalar field, and the Cluster field list follows the go-control-plane Consul vendors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const patch = (path: string, value: string) =>
  `{ ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "add", Path = "${path}", Value = ${value} }`;

const PROXY = `Kind = "proxy-defaults"
Name = "global"
EnvoyExtensions = [
  { Name = "builtin/property-override", Arguments = { Patches = [
    ${patch('/name/foo', '"bar"')},
    ${patch('/cluster_type/typed_config/@type', '"foo"')},
    ${patch('', '"ignored"')},
  ] } },
  { Name = "builtin/property-override", Arguments = { Debug = true, Patches = [
    ${patch('/', '"ignored"')},
  ] } },
]
`;

// In HCL an object Value inside a list is a list of one map, so the map Value is written in JSON.
const MAP_VALUE = JSON.stringify({
  Kind: 'service-defaults',
  Name: 'web',
  EnvoyExtensions: [
    {
      Name: 'builtin/property-override',
      Arguments: {
        Patches: [
          { ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' }, Op: 'add', Path: '/name', Value: { redirect_refresh_threshold: 5 } },
        ],
      },
    },
  ],
});

const EXT0 = 'invalid EnvoyExtensions[0][builtin/property-override]: ';
const CLUSTER_FIELDS = [
  'transport_socket_matches',
  'name',
  'alt_stat_name',
  'type',
  'cluster_type',
  'eds_cluster_config',
  'connect_timeout',
  'per_connection_buffer_limit_bytes',
  'lb_policy',
  'load_assignment',
  'health_checks',
  'max_requests_per_connection',
  'circuit_breakers',
  'upstream_http_protocol_options',
  'common_http_protocol_options',
  'http_protocol_options',
  'http2_protocol_options',
  'typed_extension_protocol_options',
  'dns_refresh_rate',
  'dns_jitter',
  'dns_failure_refresh_rate',
  'respect_dns_ttl',
  'dns_lookup_family',
  'dns_resolvers',
  'use_tcp_for_dns_lookups',
  'dns_resolution_config',
  'typed_dns_resolver_config',
  'wait_for_warm_on_init',
  'outlier_detection',
  'cleanup_interval',
  'upstream_bind_config',
  'lb_subset_config',
  'ring_hash_lb_config',
  'maglev_lb_config',
  'original_dst_lb_config',
  'least_request_lb_config',
  'round_robin_lb_config',
  'common_lb_config',
  'transport_socket',
  'metadata',
  'protocol_selection',
  'upstream_connection_options',
  'close_connections_on_host_health_failure',
  'ignore_health_on_host_removal',
  'filters',
  'load_balancing_policy',
  'lrs_server',
  'lrs_report_endpoint_metrics',
  'track_timeout_budgets',
  'upstream_config',
  'track_cluster_stats',
  'preconnect_policy',
  'connection_pool_per_downstream_connection',
];

describe('validate: property-override patches the newest Consul refuses by name', () => {
  it('names a Path below a scalar field, a map Value for a scalar field, a Path into an Any, and lists Cluster as Consul vendors it', async () => {
    const run = await runCli(['validate'], tempTree({ 'config-entries/proxy.hcl': PROXY, 'config-entries/web.json': MAP_VALUE }));
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const line = (field: string) => lines.find((l) => l.includes(`: EnvoyExtensions[${field}: `)) ?? '';
    // "add unsupported target: non-message parent field via single value"
    expect(line('0].Arguments.Patches[0].Path')).toMatch(
      /proxy\.hcl:\d+:\d+: .*invalid Patches\[0\]: path contains member of non-message field 'name' \(type 'string'\); this type does not support child fields$/,
    );
    expect(line('0].Arguments.Patches[0].Path')).toContain(EXT0);
    // "add unsupported target: non-message field via map"
    expect(lines.find((l) => l.startsWith('config-entries/web.json:')) ?? '').toMatch(
      /: EnvoyExtensions\[0\]\.Arguments\.Patches\[0\]\.Value: .*invalid Patches\[0\]: non-message field type 'string' cannot be set via a map$/,
    );
    // "add unsupported target: Any field"
    expect(line('0].Arguments.Patches[1].Path')).toMatch(/invalid Patches\[1\]: variant-type message fields \(google\.protobuf\.Any\) are not supported$/);
    // "error field list includes first 10 fields when not in debug mode"
    expect(line('0].Arguments.Patches[2].Path')).toMatch(
      new RegExp(
        `invalid Patches\\[2\\]: non-empty, non-root Path is required; available envoy\\.config\\.cluster\\.v3\\.Cluster fields: ${CLUSTER_FIELDS.slice(0, 10).join(', ')}, … \\(Debug = true lists all\\)$`,
      ),
    );
    // "error field list includes all fields when in debug mode": no transport_socket_matcher.
    expect(line('1].Arguments.Patches[0].Path')).toMatch(
      new RegExp(
        `invalid Patches\\[0\\]: non-empty, non-root Path is required; available envoy\\.config\\.cluster\\.v3\\.Cluster fields: ${CLUSTER_FIELDS.join(', ')}$`,
      ),
    );
  });
});

describe('validate: a Path into a cncf/xds message (Listener filter_chain_matcher)', () => {
  // Not a TestPatchStruct case: PatchStruct walks xds.type.matcher.v3.Matcher as any other message
  // (protoreflect), so the same texts hold there; the fields are cncf/xds's matcher.proto.
  it("names a field the matcher lacks with the matcher's fields, and a Path below its scalar fields", async () => {
    const listener = (path: string) =>
      `{ ResourceFilter = { ResourceType = "listener", TrafficDirection = "inbound" }, Op = "add", Path = "${path}", Value = "x" }`;
    const run = await runCli(
      ['validate'],
      tempTree({
        'config-entries/proxy.hcl': `Kind = "proxy-defaults"
Name = "global"
EnvoyExtensions = [
  { Name = "builtin/property-override", Arguments = { Patches = [
    ${listener('/filter_chain_matcher/matcher_lis')},
    ${listener('/filter_chain_matcher/on_no_match/action/name/x')},
    ${listener('/filter_chain_matcher/on_no_match/action/name')},
  ] } },
]
`,
      }),
    );
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const line = (k: number) => lines.find((l) => l.includes(`: EnvoyExtensions[0].Arguments.Patches[${k}].Path: `)) ?? '';
    expect(line(0)).toMatch(
      /invalid Patches\[0\]: no match for field 'matcher_lis'! available xds\.type\.matcher\.v3\.Matcher fields: matcher_list, matcher_tree, on_no_match$/,
    );
    expect(line(1)).toMatch(
      /invalid Patches\[1\]: path contains member of non-message field 'name' \(type 'string'\); this type does not support child fields$/,
    );
    expect(run.stderr).not.toContain('Patches[2]');
  });
});

describe('the dev server', () => {
  let consul: DevServer;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await consul.close();
  });

  it("answers a PUT of a Path below a scalar field with Consul's whole text", async () => {
    const res = await fetch(`${consul.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({
        Kind: 'proxy-defaults',
        Name: 'global',
        EnvoyExtensions: [
          {
            Name: 'builtin/property-override',
            Arguments: {
              Patches: [{ ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' }, Op: 'add', Path: '/respect_dns_ttl/x', Value: true }],
            },
          },
        ],
      }),
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe(
      "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: 1 error occurred:\n\t* invalid Patches[0]: path contains member of non-message field 'respect_dns_ttl' (type 'bool'); this type does not support child fields\n\n\n\n",
    );
    expect((await fetch(`${consul.url}/v1/config/proxy-defaults/global`)).status).toBe(404);
  });
});
