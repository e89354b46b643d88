// PrometheusTrafficSource against a real Prometheus: a series without consul_source_namespace matches
// the default namespace (older CE sidecars carry none). When services of several namespaces are
// judged (Consul Enterprise), such a series may be another namespace's same-named service: it must
// not vouch for the default one, whose samples then say so instead of showing someone else's pods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusStatsSchema } from '../../../src/adapters/stats/config.ts';
import { PrometheusTrafficSource } from '../../../src/adapters/stats/prometheus-source.ts';
import type { ServiceRef } from '../../../src/core/advisor/model.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../../support/prometheus.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping the namespace-label tests: ${missing}`);

const MIN = 60_000;
const base = Math.floor(Date.now() / MIN) * MIN - 4 * 3600_000;
const END = base + 120 * MIN;
const points = Array.from({ length: 121 }, (_, m) => [base + m * MIN, 5 * m] as [number, number]);
const perm = { envoy_tcp_prefix: 'permissive_public_listener' };
// payments/api's pod, relabelled without the namespace label (only the service name is left).
const unlabelled = { consul_source_service: 'api', instance: '10.0.0.7:20200', pod: 'api-payments-1' };
const labelled = { consul_source_service: 'api', consul_source_namespace: 'payments', instance: '10.0.0.8:20200', pod: 'api-payments-2' };

const ref = (namespace: string): ServiceRef => ({ name: 'api', namespace, partition: 'default' });

describe.skipIf(missing !== undefined)('Prometheus series without a namespace label', () => {
  let prom: RunningPrometheus;
  let source: PrometheusTrafficSource;
  beforeAll(async () => {
    prom = await startPrometheus({
      openMetrics: openMetrics([
        { name: 'envoy_tcp_downstream_cx_total', labels: { ...unlabelled, ...perm }, points },
        { name: 'envoy_tcp_downstream_cx_total', labels: { ...labelled, ...perm }, points },
      ]),
    });
    source = new PrometheusTrafficSource(PrometheusStatsSchema.parse({ url: prom.url }), { env: {} });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  const window = { start: END - 60 * MIN, end: END };

  it('with namespaces judged side by side, is not taken for the default namespace’s service', async () => {
    const [def, payments] = await source.samples([ref('default'), ref('payments')], window);
    expect(def.instances.map((i) => i.instance)).toEqual([]);
    expect(def.problems.join('\n')).toContain(
      'a permissiveConnections series has no consul_source_namespace label while services of several namespaces are judged: it may be a same-named service elsewhere, so it is not used',
    );
    expect(payments.instances.map((i) => i.instance)).toEqual(['api-payments-2']);
  });

  it('with the default namespace alone (Consul CE), still counts as the default namespace’s, as before', async () => {
    const [def] = await source.samples([ref('default')], window);
    expect(def.instances.map((i) => i.instance)).toEqual(['api-payments-1']);
    expect(def.problems.filter((p) => p.includes('namespace label'))).toEqual([]);
  });
});
