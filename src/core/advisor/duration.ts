// Prometheus durations (`90m`, `2h`, `7d`, `1w`, `1h30m`) for the advisor's window and gap limit,
// parsed as Prometheus parses them (prometheus/common model.ParseDuration): units from largest to
// smallest, each at most once, integers only; `y` is 365 days.

export interface DurationError {
  kind: 'invalid-duration';
  /** Where the text came from: a flag (`--window`) or a config field (`consul-gitops.yaml: targets[0].advisor.window`). */
  where: string;
  message: string;
}

export type DurationResult = { ok: true; ms: number } | { ok: false; error: DurationError };

const UNITS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

// Same shape as model.ParseDuration's durationRE; `ms` must be tried before `m` and `s`.
const PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** The longest duration accepted: 100 Prometheus years. */
const MAX_MS = 100 * 365 * 24 * 3600_000;

const EXAMPLES = 'a Prometheus duration such as 90m, 2h, 7d, 1w or 1h30m';

/** A positive duration in ms, or an error naming `where`. */
export function parsePromDuration(text: string, where: string): DurationResult {
  const fail = (message: string): DurationResult => ({ ok: false, error: { kind: 'invalid-duration', where, message } });
  const m = PATTERN.exec(text.trim());
  if (!text.trim() || !m) return fail(`${JSON.stringify(text)} is not ${EXAMPLES}`);
  let ms = 0;
  UNITS.forEach(([, size], i) => {
    const n = m[i + 1];
    if (n !== undefined) ms += Number(n) * size;
  });
  if (!Number.isSafeInteger(ms)) return fail(`${JSON.stringify(text)} is too long`);
  if (ms <= 0) return fail(`${JSON.stringify(text)} must be longer than zero`);
  // A window reaching before any date JavaScript holds (±8.64e15 ms) crashed the run with "Invalid
  // time value"; no stats history is older than a century.
  if (ms > MAX_MS) return fail(`${JSON.stringify(text)} is longer than 100y`);
  return { ok: true, ms };
}

/** `7d`, `1h30m`: the shortest Prometheus spelling of a duration, for reports. */
export function formatPromDuration(ms: number): string {
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    if (unit === 'y') continue; // a year is not a calendar year: print weeks and days instead
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}

export function formatDurationError(e: DurationError): string {
  return `${e.where}: ${e.message}`;
}
