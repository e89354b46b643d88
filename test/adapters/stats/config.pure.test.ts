// The advisor.stats section of consul-gitops.yaml: defaults, and errors that name the field.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_SELECTORS, metricSelectors, StatsConfigSchema } from '../../../src/adapters/stats/config.ts';

const fieldErrors = (v: unknown) => {
  const r = StatsConfigSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('StatsConfigSchema', () => {
  it("fills consul-dataplane's default names and safe limits", () => {
    const c = StatsConfigSchema.parse(
      parse('prometheus:\n  url: https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1\n  auth:\n    sigv4: { region: eu-west-1 }\n'),
    );
    if (!('prometheus' in c)) throw new Error('expected prometheus');
    expect(c.prometheus.labels).toEqual({
      service: 'consul_source_service',
      namespace: 'consul_source_namespace',
      partition: 'consul_source_partition',
      datacenter: 'consul_source_datacenter',
      instance: ['pod', 'kubernetes_pod_name', 'instance'],
    });
    expect(c.prometheus.auth.sigv4).toEqual({ region: 'eu-west-1', service: 'aps' });
    expect(c.prometheus.auth.bearerTokenEnv).toBe('PROMETHEUS_BEARER_TOKEN');
    expect(metricSelectors(c.prometheus)).toEqual(DEFAULT_METRIC_SELECTORS);
    const e = StatsConfigSchema.parse({ envoy: {} });
    expect(e).toEqual({
      envoy: {
        port: 20200,
        path: '/metrics',
        format: 'prometheus',
        useRegisteredMetricsAddress: true,
        timeout: '5s',
        retention: '7d',
        maxHistoryBytes: 204800,
        concurrency: 8,
      },
    });
  });

  it('replaces selectors metric by metric', () => {
    const c = StatsConfigSchema.parse({ prometheus: { url: 'http://p:9090', metrics: { uptime: 'my_uptime{job="envoy"}' } } });
    if (!('prometheus' in c)) throw new Error('expected prometheus');
    expect(metricSelectors(c.prometheus).uptime).toEqual(['my_uptime{job="envoy"}']);
    expect(metricSelectors(c.prometheus).permissiveConnections).toEqual(DEFAULT_METRIC_SELECTORS.permissiveConnections);
  });

  it('names the field that is wrong, and never accepts a secret where a variable name goes', () => {
    expect(fieldErrors({ prometheus: { url: 'http://p', auth: { bearerTokenEnv: 'eyJhbGciOi.J9.x' } } }).join('\n')).toMatch(
      /prometheus\.auth\.bearerTokenEnv: the name of an environment variable/,
    );
    expect(fieldErrors({ prometheus: { url: 'http://p', metrics: { uptime: 'rate(x[5m])' } } }).join('\n')).toMatch(/prometheus\.metrics\.uptime/);
    expect(fieldErrors({ envoy: { timeout: 'soon' } }).join('\n')).toMatch(/envoy\.timeout: a duration/);
    expect(fieldErrors({ envoy: { retention: '30d', interval: '1h30m' } })).toEqual([]);
    expect(fieldErrors({ prometheus: { url: 'http://p' }, envoy: {} }).length).toBeGreaterThan(0);
  });
});
