// judgePassthrough: MeshDestinationsOnly is proposed only when every sidecar shows no passthrough
// connection over a fully covered window; missing series, gaps and source problems are unknown.
import { describe, expect, it } from 'vitest';
import { judgePassthrough } from '../../../src/core/advisor/passthrough.ts';
import { DEFAULT_THRESHOLDS, type Sample, type ServiceSamples } from '../../../src/core/advisor/model.ts';

const MIN = 60_000;
const W = { start: 0, end: 60 * MIN };
const T = { ...DEFAULT_THRESHOLDS, windowMs: 60 * MIN };
const series = (from: number, to: number, v: (t: number) => number): Sample[] => {
  const out: Sample[] = [];
  for (let t = from; t <= to; t += MIN) out.push({ t, v: v(t) });
  return out;
};
const svc = (name: string, ...instances: Array<Sample[] | undefined>): ServiceSamples => ({
  service: { name, namespace: 'default', partition: 'default' },
  instances: instances.map((s, i) => ({ instance: `${name}-${i}`, metrics: s ? { passthroughConnections: s } : {} })),
  sources: [],
  problems: [],
});

describe('judgePassthrough', () => {
  it('flat counters over the whole window: mesh destinations only', () => {
    const j = judgePassthrough(
      [
        svc(
          'a',
          series(0, 60 * MIN, () => 7),
        ),
        svc(
          'b',
          series(0, 60 * MIN, () => 0),
        ),
      ],
      W,
      T,
    );
    expect(j).toEqual({ meshDestinationsOnly: true, outsideMesh: [], unknown: [] });
  });

  it('a rise, or a restart whose new process counted, is traffic outside the mesh', () => {
    const rising = svc(
      'a',
      series(0, 60 * MIN, (t) => (t >= 30 * MIN ? 8 : 5)),
    );
    const restarted = svc(
      'b',
      series(0, 60 * MIN, (t) => (t >= 40 * MIN ? 2 : 9)),
    );
    const j = judgePassthrough([rising, restarted], W, T);
    expect(j.meshDestinationsOnly).toBe(false);
    expect(j.outsideMesh).toEqual([
      { service: rising.service, connections: 3, lastSeenAt: 30 * MIN },
      { service: restarted.service, connections: 2, lastSeenAt: 40 * MIN },
    ]);
  });

  it('an instance born inside the window with a non-zero counter counts it', () => {
    const j = judgePassthrough(
      [
        svc(
          'a',
          series(0, 60 * MIN, () => 0),
          series(20 * MIN, 60 * MIN, () => 4),
        ),
      ],
      W,
      T,
    );
    expect(j.outsideMesh).toEqual([{ service: { name: 'a', namespace: 'default', partition: 'default' }, connections: 4, atMost: true, lastSeenAt: 20 * MIN }]);
    expect(j.meshDestinationsOnly).toBe(false);
  });

  it('missing series, late start, gaps, source problems and no samples at all are unknown, never "no traffic"', () => {
    const noSeries = judgePassthrough(
      [
        svc(
          'a',
          series(0, 60 * MIN, () => 0),
          undefined,
        ),
      ],
      W,
      T,
    );
    expect(noSeries.meshDestinationsOnly).toBe(false);
    expect(noSeries.unknown).toEqual(['a: instance a-1 has no passthrough (original-destination) series inside the window']);

    const late = judgePassthrough(
      [
        svc(
          'a',
          series(10 * MIN, 60 * MIN, () => 0),
        ),
      ],
      W,
      T,
    );
    expect(late.unknown).toEqual(['a: passthrough samples start 600 s after the window start']);

    const gappy = series(0, 60 * MIN, () => 0).filter((s) => s.t < 10 * MIN || s.t > 25 * MIN);
    expect(judgePassthrough([svc('a', gappy)], W, T).unknown).toEqual(['a: instance a-0 has a 1020 s gap in its passthrough samples']);

    const ended = judgePassthrough(
      [
        svc(
          'a',
          series(0, 50 * MIN, () => 0),
        ),
      ],
      W,
      T,
    );
    expect(ended.unknown).toEqual(['a: passthrough samples end 600 s before the window end']);

    const problem = {
      ...svc(
        'a',
        series(0, 60 * MIN, () => 0),
      ),
      problems: ['Prometheus warning: partial response'],
    };
    expect(judgePassthrough([problem], W, T).unknown).toEqual(['a: Prometheus warning: partial response']);

    expect(judgePassthrough([], W, T)).toEqual({
      meshDestinationsOnly: false,
      outsideMesh: [],
      unknown: ['no sidecar samples at all: passthrough traffic cannot be ruled out'],
    });
  });
});
