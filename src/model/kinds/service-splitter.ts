// service-splitter: weighted traffic split for one service (api/config_entry_discoverychain.go ServiceSplitterConfigEntry).
import { float, list, obj, str } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, tenancy, validateMeta, withKind } from './common.ts';
import { goQuote, httpHeaderModifiers } from './service-router.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { splitterRelatedServices } from '../related-services.ts';

type Split = Record<string, unknown> & {
  Weight?: number;
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Partition?: string;
};

/** Go's math.Round: half away from zero. */
const goRound = (x: number): number => Math.sign(x) * Math.floor(Math.abs(x) + 0.5);

/** scaleWeight: int(math.Round(float64(v * 100))) with v a float32 and the product computed in float32. */
export function scaleWeight(w: number): number {
  return goRound(Math.fround(Math.fround(w) * 100));
}

/**
 * NormalizeServiceSplitWeight: float32(scaleWeight(w)) / 100. Returned as the shortest decimal that
 * float32 value prints as (what Consul's JSON shows), e.g. 33.333 → 33.33.
 */
export function normalizeSplitWeight(w: number): number {
  return scaleWeight(w) / 100;
}

/** ServiceSplitterConfigEntry as encoding/json prints it. */
const responseShape: ResponseShape = { fields: [['Kind'], ['Name'], ['Splits', null], ['Meta']] };

export const serviceSplitter: KindDefinition = {
  kind: 'service-splitter',
  crdKind: 'ServiceSplitter',
  applyOrder: 60,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  relatedServices: splitterRelatedServices,
  acl: { read: 'service', write: 'service' },
  responseShape,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    ...tenancy,
    Splits: list(
      obj({
        Weight: float,
        Service: str,
        ServiceSubset: str,
        Namespace: str,
        Partition: str,
        RequestHeaders: httpHeaderModifiers,
        ResponseHeaders: httpHeaderModifiers,
      }),
    ),
    ...meta,
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'service-splitter') };
    const splits = out.Splits as Split[] | undefined;
    if (splits) out.Splits = splits.map((s) => (typeof s?.Weight === 'number' ? { ...s, Weight: normalizeSplitWeight(s.Weight) } : s));
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [];
    if (!entry.Name) return [{ field: 'Name', message: 'Name is required' }];
    const splits = (entry.Splits as Split[] | undefined) ?? [];
    if (splits.length === 0) return [{ field: 'Splits', message: 'no splits configured' }];
    problems.push(...validateMeta(entry));
    // Consul keys on the whole ServiceSplit struct minus Weight; header-modifier pointers make two
    // splits that carry them never equal.
    const found = new Set<string>();
    splits.forEach((s, i) => {
      if (s.RequestHeaders || s.ResponseHeaders) return;
      const service = s.Service || (entry.Name as string);
      const key = JSON.stringify([service, s.ServiceSubset ?? '', s.Namespace ?? '', s.Partition ?? '']);
      if (found.has(key))
        problems.push({
          field: `Splits[${i}]`,
          message: `split destination occurs more than once: service=${goQuote(service)}, subset=${goQuote(s.ServiceSubset ?? '')}, namespace=${goQuote(s.Namespace ?? '')}, partition=${goQuote(s.Partition ?? '')}`,
        });
      found.add(key);
    });
    const sumScaled = splits.reduce((sum, s) => sum + scaleWeight(typeof s.Weight === 'number' ? s.Weight : 0), 0);
    if (sumScaled !== 100 * 100)
      problems.push({
        field: 'Splits',
        // Go: fmt %f of float32(sumScaled)/100.
        message: `the sum of all split weights must be 100, not ${Math.fround(Math.fround(sumScaled) / 100).toFixed(6)}`,
      });
    return problems;
  },
};
