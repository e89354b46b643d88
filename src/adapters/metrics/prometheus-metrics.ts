// MetricsRecorder for `serve`: the same figures as the Lambda's CloudWatch metrics, held in memory
// and written in Prometheus' text exposition format (version 0.0.4) for GET /metrics.
// https://prometheus.io/docs/instrumenting/exposition_formats/
import type { MetricsRecorder, RunFigures } from '../../app/ports/metrics.ts';
import { RUN_METRICS, RUNS, type MetricDefinition } from './catalogue.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Series {
  labels: string;
  value: number;
  count: number;
}

export class PrometheusMetrics implements MetricsRecorder {
  private readonly series = new Map<MetricDefinition, Map<string, Series>>();

  record(f: RunFigures): void {
    for (const m of [RUNS, ...RUN_METRICS]) {
      const value = m.value(f);
      if (value === undefined) continue;
      const labels = labelText({ target: f.target, ...Object.fromEntries(m.labels.map((l) => [l, f[l]])) });
      let byLabels = this.series.get(m);
      if (!byLabels) this.series.set(m, (byLabels = new Map<string, Series>()));
      const s = byLabels.get(labels) ?? { labels, value: 0, count: 0 };
      const v = m.unit === 'Milliseconds' ? value / 1000 : value;
      s.value = m.type === 'gauge' ? v : s.value + v;
      s.count += 1;
      byLabels.set(labels, s);
    }
  }

  /** Every metric with at least one series, in the catalogue's order. */
  text(): string {
    const out: string[] = [];
    for (const m of [RUNS, ...RUN_METRICS]) {
      const byLabels = this.series.get(m);
      if (!byLabels) continue;
      out.push(`# HELP ${m.prometheus} ${m.help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}`, `# TYPE ${m.prometheus} ${m.type}`);
      for (const s of byLabels.values()) {
        if (m.type === 'summary') out.push(`${m.prometheus}_sum${s.labels} ${s.value}`, `${m.prometheus}_count${s.labels} ${s.count}`);
        else out.push(`${m.prometheus}${s.labels} ${s.value}`);
      }
    }
    return out.length ? `${out.join('\n')}\n` : '';
  }
}

/** `{a="x",b="y"}` with the format's escapes (backslash, double quote, newline) in values. */
function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`);
  return `{${pairs.join(',')}}`;
}
