// human: numbers, byte sizes, durations and instants as the advisor's reasons print them (pure;
// fixed English formatting, so a verdict reads the same on every machine and locale).

/** 12345 -> "12,345"; fractions (never expected from counters) keep one decimal. */
export function count(n: number): string {
  const rounded = Number.isInteger(n) ? n : Math.round(n * 10) / 10;
  const [int, frac] = String(Math.abs(rounded)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** Plural-aware "1 connection" / "3 connections". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : plural}`;
}

/** `dc1: 2 sidecars; dc2: could not be read`: the sidecars judged per WAN-federated datacenter. */
export function datacentersJudged(counts: readonly { datacenter: string; sidecars: number | null }[]): string {
  const each = counts.map((c) => `${c.datacenter}: ${c.sidecars === null ? 'could not be read' : countOf(c.sidecars, 'sidecar')}`);
  return `sidecars judged per WAN-federated datacenter (config entries replicate to each): ${each.join('; ')}`;
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n: number): string {
  if (Math.abs(n) < 1024) return countOf(n, 'byte');
  let value = n;
  let unit = 'B';
  for (const u of BYTE_UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`;
}

/** 90_000 -> "1 min 30 s", 7 days -> "7 days"; two units at most. */
export function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86_400), 'day'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return ms === 0 ? '0 s' : 'under 1 s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => (unit === 'day' ? `${n} day${n === 1 ? '' : 's'}` : `${n} ${unit}`))
    .join(' ');
}

/** An instant in UTC to the second: "2026-11-29 14:03:05 UTC". */
export function instant(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
