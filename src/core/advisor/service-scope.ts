// How a proposal names its service: the name alone in the default namespace and partition (CE, and
// the titles proposals have always had), and the namespace and partition said when not default, so
// `api` in `payments` and `api` in `billing` do not get the same pull-request title.
import type { ServiceRef } from './model.ts';
import { sameTenancy } from '../../model/tenancy.ts';

/** `api`, `api (namespace payments)`, `api (namespace payments, partition eu)`; `show` formats each name (Markdown code in bodies). */
export function scopedServiceName(s: ServiceRef, show: (name: string) => string = (n) => n): string {
  const scope = [
    ...(sameTenancy(s.namespace, 'default') ? [] : [`namespace ${show(s.namespace)}`]),
    ...(sameTenancy(s.partition, 'default') ? [] : [`partition ${show(s.partition)}`]),
  ];
  return scope.length ? `${show(s.name)} (${scope.join(', ')})` : show(s.name);
}
