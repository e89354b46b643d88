// coverage: does the service's data span the window? Per-instance presence intervals are checked
// for the edges, for gaps, and for moments when no instance at all reported.
import { duration, instant } from './human.ts';

export interface Presence {
  instance: string;
  from: number;
  to: number;
  longestGapMs: number;
  longestGapEndsAt?: number;
}

export interface CoverageRules {
  start: number;
  end: number;
  /** Two scrape intervals: how far from the window's edges the data may start or stop. */
  edgeToleranceMs: number;
  maxGapMs: number;
  /** Also require one instance present from start to end (see AdvisorThresholds). */
  requireOneInstanceSpanning: boolean;
}

/**
 * What is missing, in the user's words (empty when the data covers the window). Pods replaced by
 * a rollout hand over: the union of instances covers the window when the next instance reports
 * within the gap limit of the previous one's last sample, which is why every instance's own
 * counters, from its first sample, count as traffic inside the window.
 */
export function coverageGaps(presences: readonly Presence[], rules: CoverageRules): string[] {
  const { start, end, edgeToleranceMs, maxGapMs } = rules;
  if (presences.length === 0) return [`no instance reported any sample between ${instant(start)} and ${instant(end)}`];
  const missing: string[] = [];
  const sorted = [...presences].sort((a, b) => a.from - b.from);
  const earliest = sorted[0].from;
  if (earliest > start + edgeToleranceMs) {
    missing.push(`the data starts at ${instant(earliest)}, ${duration(earliest - start)} after the window start (${instant(start)})`);
  }
  const latest = Math.max(...sorted.map((p) => p.to));
  if (latest < end - edgeToleranceMs) {
    missing.push(`the data ends at ${instant(latest)}, ${duration(end - latest)} before the window end (${instant(end)})`);
  }
  for (const p of presences) {
    if (p.longestGapMs > maxGapMs) {
      const at = p.longestGapEndsAt !== undefined ? ` (from ${instant(p.longestGapEndsAt - p.longestGapMs)} to ${instant(p.longestGapEndsAt)})` : '';
      missing.push(`instance ${p.instance} has a ${duration(p.longestGapMs)} gap in its samples${at}, longer than the ${duration(maxGapMs)} limit`);
    }
  }
  let reach = sorted[0].to;
  for (const p of sorted.slice(1)) {
    if (p.from - reach > maxGapMs) {
      missing.push(
        `no instance reported for ${duration(p.from - reach)} (from ${instant(reach)} to ${instant(p.from)}), longer than the ${duration(maxGapMs)} limit`,
      );
    }
    reach = Math.max(reach, p.to);
  }
  if (rules.requireOneInstanceSpanning && !presences.some((p) => p.from <= start + edgeToleranceMs && p.to >= end - edgeToleranceMs)) {
    missing.push('no single instance reported for the whole window');
  }
  return missing;
}
