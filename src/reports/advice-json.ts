// The advisor's report as JSON for `advise --json` and machines: the same facts as the text, with
// every time an RFC 3339 string (the evidence's `start`, `end` and `…At` fields are ms internally).
import type { AdviceReport } from '../core/advisor/model.ts';
import { formatPromDuration } from '../core/advisor/duration.ts';
import { PERMISSIVE_SIDECAR_REPAIR, UNKNOWN_QUIET_ITEM } from './advice-text.ts';
import { unlistedDatacenterText } from '../core/advisor/unlisted.ts';

const isTimeKey = (k: string): boolean => k === 'start' || k === 'end' || k.endsWith('At');

function withIsoTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withIsoTimes);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = isTimeKey(k) && typeof x === 'number' && Number.isFinite(x) ? new Date(x).toISOString() : withIsoTimes(x);
  return out;
}

export function adviceJson(report: AdviceReport): unknown {
  return {
    window: {
      start: new Date(report.window.start).toISOString(),
      end: new Date(report.window.end).toISOString(),
      duration: formatPromDuration(report.window.end - report.window.start),
    },
    source: report.source,
    services: report.services.map((v) => ({
      service: v.service.name,
      namespace: v.service.namespace,
      partition: v.service.partition,
      verdict: v.verdict,
      reasons: v.reasons,
      origin: v.origin,
      evidence: withIsoTimes(v.evidence),
    })),
    drift: report.drift.map((d) => ({ service: d.name, namespace: d.namespace, partition: d.partition, repair: d.repair })),
    ...(report.unknownQuietItems?.length ? { warnings: report.unknownQuietItems.map((item) => ({ item, warning: UNKNOWN_QUIET_ITEM(item) })) } : {}),
    ...(report.permissiveSidecars ? { permissiveSidecars: report.permissiveSidecars.map((sidecar) => ({ sidecar, repair: PERMISSIVE_SIDECAR_REPAIR })) } : {}),
    ...(report.otherDatacenters ? { otherDatacenters: report.otherDatacenters } : {}),
    ...(report.unlistedDatacenters
      ? {
          unlistedDatacenters: report.unlistedDatacenters.map((u) => ({
            ...(u.datacenter !== undefined ? { datacenter: u.datacenter } : {}),
            unreadable: u.unreadable,
            why: unlistedDatacenterText(u),
          })),
        }
      : {}),
  };
}
