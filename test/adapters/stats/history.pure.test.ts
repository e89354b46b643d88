// The KV history codec: exact round trips (restarts, absent metrics), pruning and the byte bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedHistory, decodeHistory, encodeHistory, toMetrics, type Scrape } from '../../../src/adapters/stats/history.ts';

const scrape = (t: number, values: Scrape['values']): Scrape => ({ t, values });

describe('sample history codec', () => {
  it('round-trips counter drops and metrics absent from some scrapes', () => {
    const scrapes = [
      scrape(1_000, { permissiveConnections: 10, uptime: 100 }),
      scrape(61_000, { permissiveConnections: 12, uptime: 160, mtlsHandshakes: 4 }),
      scrape(121_000, { permissiveConnections: 0, uptime: 5 }), // restart
    ];
    expect(decodeHistory(encodeHistory(scrapes))).toEqual(scrapes);
    expect(toMetrics(scrapes, 0, 200_000).mtlsHandshakes).toEqual([{ t: 61_000, v: 4 }]);
  });

  it('round-trips any history exactly', () => {
    const values = fc.record(
      { permissiveConnections: fc.nat(), permissiveRxBytes: fc.maxSafeNat(), uptime: fc.nat(), passthroughConnections: fc.nat() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 10 ** 12 }), { maxLength: 50 }), fc.array(values, { minLength: 50, maxLength: 50 }), (times, vs) => {
        const scrapes = [...times].sort((a, b) => a - b).map((t, i) => scrape(t, vs[i]));
        expect(decodeHistory(encodeHistory(scrapes))).toEqual(scrapes);
      }),
    );
  });

  it('rejects values it did not write', () => {
    expect(decodeHistory('not json')).toBeUndefined();
    expect(decodeHistory('{"v":2,"t":[],"m":{}}')).toBeUndefined();
    expect(decodeHistory('{"v":1,"t":[1,2],"m":{"pc":[1]}}')).toBeUndefined();
  });

  it('prunes before the window and keeps under the byte bound, newest first kept', () => {
    const old = Array.from({ length: 500 }, (_, i) => scrape(i * 60_000, { permissiveConnections: i * 7919, uptime: i * 60 }));
    const { scrapes, text } = boundedHistory(old, [scrape(500 * 60_000, { permissiveConnections: 1 })], 100 * 60_000, 2048);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(scrapes.at(-1)!.t).toBe(500 * 60_000);
    expect(scrapes[0].t).toBeGreaterThanOrEqual(100 * 60_000);
    expect(decodeHistory(text)).toEqual(scrapes);
  });
});
