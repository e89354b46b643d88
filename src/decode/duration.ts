// Go's time.Duration text form, both ways: Consul accepts "1m30s" on input and the api client
// sends either nanoseconds or the String() form, so both directions must match Go exactly.

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration; returns nanoseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = re.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]) * UNIT_NS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * Math.round(total);
}

/** time.Duration.String(): "1m30s", "1.5s", "500ms", "0s". */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.trunc(ns));
  let out: string;
  if (u < 1e9) {
    // Below one second Go picks the largest unit that keeps the integer part non-zero.
    const [unit, size] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = fraction(u, size) + unit;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    out = (h ? `${h}h` : '') + (h || m ? `${m}m` : '') + `${fraction(u, 1e9)}s`;
  }
  return neg ? `-${out}` : out;
}

function fraction(value: number, size: number): string {
  const whole = Math.floor(value / size);
  const rest = value - whole * size;
  if (rest === 0) return String(whole);
  const digits = String(size).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
