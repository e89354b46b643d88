// envoy-json: parse Envoy's admin `GET /stats?format=json` into the same EnvoyStat records as the
// text form, so the advisor does not care which one it polled; bad entries are reported, never thrown.
import type { EnvoyHistogram, EnvoyHistogramPoint, EnvoyStat, EnvoyStatsParseResult } from './envoy-text.ts';
import { excerptOf } from './parse-issue.ts';

/**
 * Accepts the raw body or an already-`JSON.parse`d value. Shape (StatsJsonRender):
 * `{"stats":[{"name":..,"value":..}, ..., {"histograms":{...}}]}` — histograms are one extra
 * element of the array, not a top-level key. Key order is not relied on.
 */
export function parseEnvoyStatsJson(input: unknown): EnvoyStatsParseResult {
  const result: EnvoyStatsParseResult = { stats: [], histograms: [], issues: [] };
  const issue = (path: string, reason: string, value: unknown): void => {
    result.issues.push({ path, reason, excerpt: excerptOf(safeStringify(value)) });
  };

  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (err) {
      issue('$', `invalid JSON: ${(err as Error).message}`, input);
      return result;
    }
  }
  if (!isRecord(doc) || !Array.isArray(doc.stats)) {
    issue('$', 'expected an object with a "stats" array', doc);
    return result;
  }

  doc.stats.forEach((entry: unknown, i: number) => {
    const path = `stats[${i}]`;
    if (!isRecord(entry)) {
      issue(path, 'entry is not an object', entry);
      return;
    }
    if ('histograms' in entry) {
      parseHistograms(entry.histograms, `${path}.histograms`, result, issue);
      return;
    }
    const { name, value } = entry;
    if (typeof name !== 'string' || name === '') {
      issue(path, 'missing or non-string "name"', entry);
      return;
    }
    // Counters and gauges are JSON numbers; a text readout is a JSON string.
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string') {
      result.stats.push({ name, value } satisfies EnvoyStat);
      return;
    }
    issue(`${path}.value`, 'value is neither a finite number nor a string', entry);
  });
  return result;
}

function parseHistograms(h: unknown, path: string, result: EnvoyStatsParseResult, issue: (path: string, reason: string, value: unknown) => void): void {
  // `histogram_buckets=cumulative|disjoint` turns the element into an array of {name, buckets}.
  if (Array.isArray(h)) {
    h.forEach((item: unknown, i: number) => {
      const hist = isRecord(item) ? bucketHistogram(item) : undefined;
      if (hist) result.histograms.push(hist);
      else issue(`${path}[${i}]`, 'unrecognised bucket histogram', item);
    });
    return;
  }
  if (!isRecord(h) || !Array.isArray(h.computed_quantiles)) {
    issue(path, 'unrecognised histograms element (detailed mode is not supported)', h);
    return;
  }
  const quantiles = Array.isArray(h.supported_quantiles) ? h.supported_quantiles : [];
  h.computed_quantiles.forEach((item: unknown, i: number) => {
    const itemPath = `${path}.computed_quantiles[${i}]`;
    if (!isRecord(item) || typeof item.name !== 'string' || !Array.isArray(item.values)) {
      issue(itemPath, 'expected {name, values[]}', item);
      return;
    }
    const points: EnvoyHistogramPoint[] = [];
    for (let j = 0; j < item.values.length; j++) {
      const v: unknown = item.values[j];
      const at: unknown = quantiles[j];
      const interval = isRecord(v) ? numberOrNull(v.interval) : undefined;
      const cumulative = isRecord(v) ? numberOrNull(v.cumulative) : undefined;
      if (typeof at !== 'number' || interval === undefined || cumulative === undefined) {
        issue(`${itemPath}.values[${j}]`, 'bad quantile value or no matching supported_quantiles entry', v);
        return;
      }
      points.push({ at, interval, cumulative });
    }
    result.histograms.push({ name: item.name, kind: 'quantiles', points });
  });
}

function bucketHistogram(item: Record<string, unknown>): EnvoyHistogram | undefined {
  if (typeof item.name !== 'string' || !Array.isArray(item.buckets)) return undefined;
  const points: EnvoyHistogramPoint[] = [];
  for (const b of item.buckets as unknown[]) {
    if (!isRecord(b) || typeof b.upper_bound !== 'number') return undefined;
    const interval = numberOrNull(b.interval);
    const cumulative = numberOrNull(b.cumulative);
    if (interval === undefined || cumulative === undefined) return undefined;
    points.push({ at: b.upper_bound, interval, cumulative });
  }
  return { name: item.name, kind: 'buckets', points };
}

/** Envoy writes `null` for an empty interval (its JSON streamer cannot write NaN). */
function numberOrNull(v: unknown): number | null | undefined {
  if (v === null) return null;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeStringify(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
