// Class 2 of issue 11: api-gateway `Defaults` and route service `Limits` (api.UpstreamLimits, the
// struct service-defaults' upstreams use: consul-k8s translation.go translateGatewayDefaults and
// translateBackendRefLimits; hashicorp/consul#23551's and #23783's examples) decode in HCL snake_case,
// HCL CamelCase and JSON alike, a wrong key inside them is refused with its place, and a target
// running a Consul older than 2.0 is warned before Consul answers `invalid config key`.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

// hashicorp/consul#23551's gateway, with a passive health check as #23783 adds.
const GATEWAY_CAMEL = `Kind = "api-gateway"
Name = "api-gw-limits-gateway"
Defaults {
  MaxConnections        = 7
  MaxConcurrentRequests = 9
  PassiveHealthCheck {
    Interval                = "10s"
    MaxFailures             = 3
    EnforcingConsecutive5xx = 100
  }
}
Listeners = [{ Name = "http", Port = 9600, Protocol = "http" }]
`;

// The same in UpstreamLimits' and PassiveHealthCheck's alias tags (`defaults.passive_health_check`).
const GATEWAY_SNAKE = `Kind = "api-gateway"
Name = "api-gw-limits-gateway"
defaults {
  max_connections         = 7
  max_concurrent_requests = 9
  passive_health_check {
    interval                  = "10s"
    max_failures              = 3
    enforcing_consecutive_5xx = 100
  }
}
listeners = [{ name = "http", port = 9600, protocol = "http" }]
`;

const GATEWAY_JSON = JSON.stringify({
  Kind: 'api-gateway',
  Name: 'api-gw-limits-gateway',
  Defaults: { MaxConnections: 7, MaxConcurrentRequests: 9, PassiveHealthCheck: { Interval: '10s', MaxFailures: 3, EnforcingConsecutive5xx: 100 } },
  Listeners: [{ Name: 'http', Port: 9600, Protocol: 'http' }],
});

const HTTP_CAMEL = `Kind = "http-route"
Name = "api-gw-limits-route-override"
Parents = [{ Kind = "api-gateway", Name = "api-gw-limits-gateway", SectionName = "http" }]
Rules = [
  {
    Services = [
      {
        Name = "api-gw-limits-override-svc"
        Limits {
          MaxPendingRequests = 5
          PassiveHealthCheck { MaxEjectionPercent = 50 }
        }
      }
    ]
  }
]
`;

// `rules[].services[].limits.passive_health_check`, #23783's spelling.
const HTTP_SNAKE = `Kind = "http-route"
Name = "api-gw-limits-route-override"
parents = [{ kind = "api-gateway", name = "api-gw-limits-gateway", SectionName = "http" }]
rules = [
  {
    services = [
      {
        name = "api-gw-limits-override-svc"
        limits {
          max_pending_requests = 5
          passive_health_check { max_ejection_percent = 50 }
        }
      }
    ]
  }
]
`;

const HTTP_JSON = JSON.stringify({
  Kind: 'http-route',
  Name: 'api-gw-limits-route-override',
  Parents: [{ Kind: 'api-gateway', Name: 'api-gw-limits-gateway', SectionName: 'http' }],
  Rules: [{ Services: [{ Name: 'api-gw-limits-override-svc', Limits: { MaxPendingRequests: 5, PassiveHealthCheck: { MaxEjectionPercent: 50 } } }] }],
});

const TCP_SNAKE = `Kind = "tcp-route"
Name = "db"
Parents = [{ Kind = "api-gateway", Name = "api-gw-limits-gateway", SectionName = "tcp" }]
Services = [{ Name = "postgres", limits { max_connections = 20 } }]
`;

const EXPECTED = [
  {
    Kind: 'api-gateway',
    Name: 'api-gw-limits-gateway',
    // Durations travel as Go's time.Duration, in nanoseconds.
    Defaults: { MaxConnections: 7, MaxConcurrentRequests: 9, PassiveHealthCheck: { Interval: 10_000_000_000, MaxFailures: 3, EnforcingConsecutive5xx: 100 } },
  },
  {
    Kind: 'http-route',
    Rules: [{ Services: [{ Name: 'api-gw-limits-override-svc', Limits: { MaxPendingRequests: 5, PassiveHealthCheck: { MaxEjectionPercent: 50 } } }] }],
  },
];

async function render(files: Record<string, string>): Promise<Record<string, unknown>[]> {
  const run = await runCli(['render', '--json', ...Object.keys(files)], tempTree(files));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}

const yaml = (version: string) => `targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: "${version}"\n`;

describe('api-gateway Defaults and route service Limits', () => {
  it('render alike from HCL CamelCase, HCL snake_case and JSON', async () => {
    const camel = await render({ 'gw.hcl': GATEWAY_CAMEL, 'route.hcl': HTTP_CAMEL });
    const snake = await render({ 'gw.hcl': GATEWAY_SNAKE, 'route.hcl': HTTP_SNAKE });
    const json = await render({ 'gw.json': GATEWAY_JSON, 'route.json': HTTP_JSON });
    expect(camel).toMatchObject(EXPECTED);
    expect(snake).toEqual(camel);
    expect(json).toEqual(camel);
  });

  it('a tcp-route service takes Limits too', async () => {
    const [route] = await render({ 'db.hcl': TCP_SNAKE });
    expect(route).toMatchObject({ Services: [{ Name: 'postgres', Limits: { MaxConnections: 20 } }] });
  });

  it('a key UpstreamLimits lacks is refused with file, line and place', async () => {
    const run = await runCli(['validate', 'gw.hcl'], tempTree({ 'gw.hcl': GATEWAY_CAMEL.replace('MaxConnections        = 7', 'MaxConnection = 7') }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gw.hcl:4:3: Defaults.MaxConnection: invalid config key "Defaults.MaxConnection"');
  });

  it('a limit given as text is refused as Go decodes an int', async () => {
    const run = await runCli(['validate', 'route.hcl'], tempTree({ 'route.hcl': HTTP_CAMEL.replace('MaxPendingRequests = 5', 'MaxPendingRequests = "five"') }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('route.hcl:10:');
    expect(run.stderr).toContain('Rules[0].Services[0].Limits.MaxPendingRequests');
  });

  it('a target on Consul 1.22 is warned of each, with file, line and the version that added it', async () => {
    const dir = tempTree({
      'consul-gitops.yaml': yaml('1.22.0'),
      'config-entries/gw.hcl': GATEWAY_CAMEL,
      'config-entries/route.hcl': HTTP_CAMEL,
      'config-entries/db.hcl': TCP_SNAKE,
    });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('config-entries/gw.hcl:3:');
    expect(run.stderr).toContain('Defaults: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
    expect(run.stderr).toContain('config-entries/route.hcl:9:');
    expect(run.stderr).toContain('Rules[0].Services[0].Limits: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
    expect(run.stderr).toContain('Services[0].Limits: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
  });

  it('a target on Consul 2.0 is warned only of the passive health check inside them, a 2.1 field (.changelog/23783.txt)', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('2.0.3'), 'config-entries/gw.hcl': GATEWAY_CAMEL, 'config-entries/route.hcl': HTTP_CAMEL });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    const warned = run.stderr.split('\n').filter((l) => l.includes('does not know this field'));
    expect(warned).toEqual([
      expect.stringContaining('Defaults.PassiveHealthCheck: Consul 2.0.3 (target "prod") does not know this field, added in Consul 2.1.0'),
      expect.stringContaining('Rules[0].Services[0].Limits.PassiveHealthCheck: Consul 2.0.3 (target "prod") does not know this field, added in Consul 2.1.0'),
    ]);
  });

  it('a target on Consul 2.1 is not warned of them', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('2.1.0'), 'config-entries/gw.hcl': GATEWAY_CAMEL, 'config-entries/route.hcl': HTTP_CAMEL });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('does not know this field');
  });
});
