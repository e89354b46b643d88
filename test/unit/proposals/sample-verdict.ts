// Evidence built by hand, as the advisor's decision would fill it: the reports are pure functions
// of it, so the golden bodies do not depend on the decision's code.
import type { InstanceEvidence, ServiceVerdict } from '../../../src/core/advisor/model.ts';

export const WINDOW = { start: Date.UTC(2026, 10, 23, 10), end: Date.UTC(2026, 10, 30, 10) };

export function instance(name: string, over: Partial<InstanceEvidence> = {}): InstanceEvidence {
  return {
    instance: name,
    firstSampleAt: WINDOW.start,
    lastSampleAt: WINDOW.end - 30_000,
    restarts: 0,
    longestGapMs: 60_000,
    permissive: {
      connections: { first: 412, last: 412, increase: 0 },
      rxBytes: { first: 88_213, last: 88_213, increase: 0 },
      txBytes: { first: 1_204_331, last: 1_204_331, increase: 0 },
    },
    mtls: {
      handshakes: { first: 1000, last: 21_000, increase: 20_000, lastRiseAt: WINDOW.end - 60_000 },
      httpRequests: { first: 5000, last: 95_000, increase: 90_000 },
    },
    ...over,
  };
}

export function readyVerdict(
  instances: InstanceEvidence[] = [instance('orders-7d9f8-abcde'), instance('orders-7d9f8-fghij', { restarts: 1 })],
): ServiceVerdict {
  return {
    service: { name: 'orders', namespace: 'default', partition: 'default' },
    verdict: 'ready-for-strict',
    reasons: ['no plaintext connection or byte on any instance for 7d', '40,000 mTLS handshakes show callers already use mTLS'],
    origin: { kind: 'service-defaults', file: 'services/orders.hcl' },
    evidence: {
      window: WINDOW,
      instances,
      permissive: { connections: 0, rxBytes: 0, txBytes: 0, lastSeenAt: Date.UTC(2026, 10, 21, 8, 14) },
      mtls: { handshakes: 40_000, httpRequests: 180_000, rxBytes: 9_800_000 },
      restarts: instances.reduce((n, i) => n + i.restarts, 0),
      sources: [
        'envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener",consul_source_service="orders"}[7d]',
        'envoy_listener_ssl_handshake{consul_source_service="orders"}[7d]',
      ],
      problems: [],
      timeline: Array.from({ length: 7 }, (_, d) => ({ start: WINDOW.start + d * 86_400_000, permissiveConnections: 0, mtlsConnections: 5000 + d * 100 })),
      blindSpot: 'Traffic in the last scrape interval (60 s) before an Envoy process died is not seen.',
    },
  };
}
