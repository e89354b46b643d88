// MetricsRecorder for Lambda: CloudWatch embedded metric format through Powertools, one JSON line
// on stdout per target run (CloudWatch Logs extracts the metrics; no API call, no latency).
// Two lines per run: the figures by target, and the run counted by target, mode and outcome, since
// every metric of one EMF object shares its dimension sets.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsRecorder, RunFigures } from '../../app/ports/metrics.ts';
import { NAMESPACE, RUN_METRICS, RUNS, SERVICE } from './catalogue.ts';

const UNITS = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

export class CloudWatchMetrics implements MetricsRecorder {
  /** `sink` receives each EMF object as one line (default: stdout, where Lambda's log capture reads it). */
  constructor(private readonly sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  record(f: RunFigures): void {
    try {
      const figures = this.metrics({ Target: f.target });
      for (const m of RUN_METRICS) {
        const value = m.value(f);
        if (value !== undefined) figures.addMetric(m.cloudWatch, UNITS[m.unit], value);
      }
      this.emit(figures);
      const runs = this.metrics({ Target: f.target, Mode: f.mode, Outcome: f.outcome });
      runs.addMetric(RUNS.cloudWatch, UNITS[RUNS.unit], 1);
      this.emit(runs);
    } catch {
      // A metric must never fail the run it measures.
    }
  }

  private metrics(dimensions: Record<string, string>): Metrics {
    const m = new Metrics({ namespace: NAMESPACE, serviceName: SERVICE });
    for (const [name, value] of Object.entries(dimensions)) m.addDimension(name, value);
    return m;
  }

  private emit(m: Metrics): void {
    this.sink(JSON.stringify(m.serializeMetrics()));
    m.clearMetrics();
    m.clearDimensions();
  }
}
