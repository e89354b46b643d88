// Prometheus durations for --window and the advisor's config.
import { describe, expect, it } from 'vitest';
import { formatPromDuration, parsePromDuration } from '../../../src/core/advisor/duration.ts';

describe('parsePromDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['2h', 2 * 3600_000],
    ['7d', 7 * 86_400_000],
    ['1w', 7 * 86_400_000],
    ['1h30m', 90 * 60_000],
    ['500ms', 500],
    ['1y', 365 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parsePromDuration(text, '--window')).toEqual({ ok: true, ms });
  });

  it.each(['', '7', '7D', '1.5h', '30m1h', '-1d', '0d', '7 days'])('refuses %j, naming where it came from', (text) => {
    const r = parsePromDuration(text, '--window');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'invalid-duration', where: '--window' });
  });

  it('prints the shortest spelling', () => {
    expect(formatPromDuration(7 * 86_400_000)).toBe('1w');
    expect(formatPromDuration(90 * 60_000)).toBe('1h30m');
  });
});
