// The intentions that name a service as destination, as the PR body lists them: who is allowed
// (or denied) to call it once it only accepts mTLS. Pure: normalised entries in, sentences out.
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { ServiceRef } from '../advisor/model.ts';
import { fieldText } from '../../model/field-text.ts';

const same = (a: unknown, b: string) => fieldText(a).toLowerCase() === b.toLowerCase();
const tenancyMatches = (e: ApiEntry, s: ServiceRef) =>
  ['Namespace', 'Partition'].every((k) => {
    const v = fieldText(e[k]).toLowerCase();
    const want = (k === 'Namespace' ? s.namespace : s.partition).toLowerCase();
    return (v || 'default') === (want || 'default');
  });

/** `web (allow)`, `* (deny)`, `batch (L7 permissions)`; the wildcard destination noted. */
export function intentionSourcesFor(entries: readonly ApiEntry[], service: ServiceRef): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.Kind !== 'service-intentions' || !tenancyMatches(e, service)) continue;
    const wildcard = e.Name === '*';
    if (!wildcard && !same(e.Name, service.name)) continue;
    for (const src of (e.Sources as Array<Record<string, unknown>> | undefined) ?? []) {
      const where = [src.Partition, src.Namespace].filter((v) => typeof v === 'string' && v && v !== 'default').join('/');
      const action = typeof src.Action === 'string' && src.Action ? src.Action : 'L7 permissions';
      out.push(
        `${where ? `${where}/` : ''}${fieldText(src.Name ?? src.Peer ?? src.SamenessGroup) || '?'} (${action}${wildcard ? ', via the * destination' : ''})`,
      );
    }
  }
  return out;
}
