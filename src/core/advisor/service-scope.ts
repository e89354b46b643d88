// How a proposal names its service: the name alone in the default namespace and partition (CE, and
// the titles proposals have always had), and the namespace and partition said when not default, so
// `api` in `payments` and `api` in `billing` do not get the same pull-request title. And how a
// user's setting names one.
import { serviceKey, type ServiceRef } from './model.ts';
import { sameTenancy } from '../../model/tenancy.ts';

/** `api`, `api (namespace payments)`, `api (namespace payments, partition eu)`; `show` formats each name (Markdown code in bodies). */
export function scopedServiceName(s: ServiceRef, show: (name: string) => string = (n) => n): string {
  const scope = [
    ...(sameTenancy(s.namespace, 'default') ? [] : [`namespace ${show(s.namespace)}`]),
    ...(sameTenancy(s.partition, 'default') ? [] : [`partition ${show(s.partition)}`]),
  ];
  return scope.length ? `${show(s.name)} (${scope.join(', ')})` : show(s.name);
}

/**
 * The service an `advisor.expectNoInboundTraffic` item names, as a serviceKey: `cron` is the one in
 * the default namespace and partition, `billing/cron` the one in namespace billing, and
 * `eu/billing/cron` the one in partition eu. A name alone never reaches into other namespaces:
 * a same-named service there has its own sidecars and callers, and skipping its "mTLS traffic
 * flows" rule would call it ready on no evidence. Consul service names hold no `/`.
 */
export function namedServiceKey(item: string): string {
  const parts = item.split('/');
  const name = parts.pop() ?? '';
  const namespace = parts.pop() || 'default';
  const partition = parts.pop() || 'default';
  return serviceKey({ name, namespace, partition });
}

/** How to name the service in `advisor.expectNoInboundTraffic`: the inverse of namedServiceKey. */
export function expectNoInboundTrafficItem(s: ServiceRef): string {
  if (!sameTenancy(s.partition, 'default')) return `${s.partition}/${s.namespace}/${s.name}`;
  return sameTenancy(s.namespace, 'default') ? s.name : `${s.namespace}/${s.name}`;
}
