// envoy-text: parse the plain-text output of Envoy's admin `GET /stats` (`name: value` lines) into
// EnvoyStat records; odd lines are reported, never thrown, since a truncated curl must still be read.
import { excerptOf, splitLines, type ParseIssue } from './parse-issue.ts';

/**
 * One counter, gauge or text readout. Envoy's text and JSON forms cannot tell counters from gauges
 * (only `?type=Counters` can), so there is no type here; text readouts are the string values.
 */
export interface EnvoyStat {
  name: string;
  value: number | string;
}

/** One point of a histogram: `P99.5(interval,cumulative)` (quantile) or `B25(interval,cumulative)` (bucket). */
export interface EnvoyHistogramPoint {
  /** Percentile (0..100) for quantile summaries, upper bound for bucket summaries. */
  at: number;
  /** `null` when Envoy printed `nan` / JSON `null`: nothing was recorded in the last flush interval. */
  interval: number | null;
  cumulative: number | null;
}

export interface EnvoyHistogram {
  name: string;
  /** `quantiles` for the default summary form, `buckets` for `histogram_buckets=cumulative|disjoint`. */
  kind: 'quantiles' | 'buckets';
  /** Empty when Envoy printed `No recorded values`. */
  points: EnvoyHistogramPoint[];
}

export interface EnvoyStatsParseResult {
  stats: EnvoyStat[];
  histograms: EnvoyHistogram[];
  issues: ParseIssue[];
}

// StatsTextRender prints uint64 with absl::StrCat, so digits only; decimals/exponents are accepted
// anyway because hand-edited or re-exported files use them and rejecting costs the caller a value.
const NUMBER_RE = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const HIST_POINT_RE = /^([PB])(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\(([^,()]*),([^,()]*)\)$/;

/**
 * Parse `/stats` text. Lines are split on the FIRST `": "`: stat names may contain dots, `_`, `~`
 * and IP addresses but never `": "`, while text-readout values may contain anything.
 */
export function parseEnvoyStatsText(text: string): EnvoyStatsParseResult {
  const result: EnvoyStatsParseResult = { stats: [], histograms: [], issues: [] };
  const lines = splitLines(typeof text === 'string' ? text : '');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const issue = (reason: string): void => {
      result.issues.push({ line, reason, excerpt: excerptOf(raw) });
    };
    if (raw.startsWith('#')) {
      // Envoy never prints comments; people annotate saved files (our samples do). Reported, not fatal.
      issue('comment line (not Envoy output)');
      return;
    }
    const sep = raw.indexOf(': ');
    if (sep < 0) {
      // `name:` alone starts histogram_buckets=detailed output, whose indented lines follow.
      issue(raw.endsWith(':') ? 'detailed histogram output is not supported' : 'no ": " separator');
      return;
    }
    const name = raw.slice(0, sep);
    const value = raw.slice(sep + 2);
    if (name === '' || name.trim() !== name || /\s/.test(name)) {
      issue('invalid stat name');
      return;
    }
    if (NUMBER_RE.test(value)) {
      result.stats.push({ name, value: Number(value) });
      return;
    }
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      // Text readouts are printed raw between quotes, without escaping (stats_render.cc).
      result.stats.push({ name, value: value.slice(1, -1) });
      return;
    }
    const histogram = parseHistogramValue(name, value);
    if (histogram) {
      result.histograms.push(histogram);
      return;
    }
    issue('value is neither a number, a quoted text readout nor a histogram summary');
  });
  return result;
}

function parseHistogramValue(name: string, value: string): EnvoyHistogram | undefined {
  if (value === 'No recorded values') return { name, kind: 'quantiles', points: [] };
  const tokens = value.split(' ');
  let kind: 'P' | 'B' | undefined;
  const points: EnvoyHistogramPoint[] = [];
  for (const token of tokens) {
    const m = HIST_POINT_RE.exec(token);
    if (!m) return undefined;
    if (kind !== undefined && m[1] !== kind) return undefined;
    kind = m[1] as 'P' | 'B';
    const interval = parseHistogramNumber(m[3]);
    const cumulative = parseHistogramNumber(m[4]);
    if (interval === undefined || cumulative === undefined) return undefined;
    points.push({ at: Number(m[2]), interval, cumulative });
  }
  return { name, kind: kind === 'B' ? 'buckets' : 'quantiles', points };
}

function parseHistogramNumber(s: string): number | null | undefined {
  if (s === 'nan') return null;
  return NUMBER_RE.test(s) ? Number(s) : undefined;
}
