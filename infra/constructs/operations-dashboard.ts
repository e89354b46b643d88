// The operators' CloudWatch dashboard: the mesh's walk to strict over time, reconcile outcomes and
// durations, drift and writes per target, the four functions (errors, throttles, durations, and the
// plans function's answers to reviewers), and every alarm. Figures come from the reconcile function's embedded metrics (src/adapters/metrics/catalogue.ts names them); targets are
// found with SEARCH expressions, so a target added to the config appears without a redeploy.
import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, GraphWidgetView, MathExpression, TextWidget, type Alarm, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { NAMESPACE, RUN_METRICS, RUNS } from '../../src/adapters/metrics/catalogue.ts';

export interface OperationsDashboardProps {
  /** Plans is behind a function URL: its answers to reviewers' browsers are graphed too. */
  functions: Record<'Webhook' | 'Reconcile' | 'Schedule' | 'Plans', IFunction>;
  alarms: readonly Alarm[];
}

/** Dimensions of the figures (one EMF object per target run) and of the run counts (by mode and outcome). */
const BY_TARGET = `{${NAMESPACE},service,Target}`;
const BY_OUTCOME = `{${NAMESPACE},service,Target,Mode,Outcome}`;

const cloudWatchName = (prometheus: string) => {
  const m = RUN_METRICS.find((x) => x.prometheus === prometheus);
  if (!m) throw new Error(`no metric ${prometheus} in the catalogue`);
  return m.cloudWatch;
};

/** One line per target (per mode and outcome for run counts), labelled by CloudWatch with its dimension values. */
function search(schema: string, metricName: string, statistic: string, period: Duration): IMetric {
  return new MathExpression({
    expression: `SEARCH('${schema} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    label: '',
    period,
  });
}

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const hour = Duration.hours(1);
    const fiveMinutes = Duration.minutes(5);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(14) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# consul-gitops\nThe walk to strict mTLS per target, what each reconcile did, and drift. Figures come from the reconcile function (drift checks run on the schedule); `consul-gitops serve` exposes the same ones on `GET /metrics`.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Walk to strict: services still permissive',
        left: [search(BY_TARGET, cloudWatchName('consul_gitops_permissive_services'), 'Minimum', hour)],
        leftYAxis: { min: 0, label: 'services' },
        width: 12,
      }),
      new GraphWidget({
        title: 'Ready for strict (no plaintext over the advisor window)',
        left: [search(BY_TARGET, cloudWatchName('consul_gitops_ready_for_strict_services'), 'Maximum', hour)],
        leftYAxis: { min: 0, label: 'services' },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Reconcile runs by target, mode and outcome',
        left: [search(BY_OUTCOME, RUNS.cloudWatch, 'Sum', hour)],
        view: GraphWidgetView.TIME_SERIES,
        stacked: true,
        width: 12,
      }),
      new GraphWidget({
        title: 'Runs that need a person (failed writes, drift, invalid tree, errors)',
        left: [search(BY_TARGET, cloudWatchName('consul_gitops_reconcile_runs_not_ok_total'), 'Sum', hour)],
        leftYAxis: { min: 0 },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Reconcile duration (average and maximum, ms)',
        left: [search(BY_TARGET, cloudWatchName('consul_gitops_reconcile_duration_seconds'), 'Average', fiveMinutes)],
        right: [search(BY_TARGET, cloudWatchName('consul_gitops_reconcile_duration_seconds'), 'Maximum', fiveMinutes)],
        width: 12,
      }),
      new GraphWidget({
        title: 'Drift: entries that differ from the default branch',
        left: [search(BY_TARGET, cloudWatchName('consul_gitops_drifted_entries'), 'Maximum', fiveMinutes)],
        leftYAxis: { min: 0, label: 'entries' },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Writes: entries applied, conflicts, failures',
        left: [
          search(BY_TARGET, cloudWatchName('consul_gitops_entries_applied_total'), 'Sum', hour),
          search(BY_TARGET, cloudWatchName('consul_gitops_entry_conflicts_total'), 'Sum', hour),
          search(BY_TARGET, cloudWatchName('consul_gitops_entry_failures_total'), 'Sum', hour),
        ],
        leftYAxis: { min: 0, label: 'entries' },
        width: 12,
      }),
      new GraphWidget({
        title: 'Functions: errors and throttles',
        left: Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ period: fiveMinutes, label: `${name} errors` })),
        right: Object.entries(props.functions).map(([name, fn]) => fn.metricThrottles({ period: fiveMinutes, label: `${name} throttles` })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Functions: duration (average and maximum, ms)',
        left: Object.entries(props.functions).map(([name, fn]) => fn.metricDuration({ period: fiveMinutes, statistic: 'Average', label: `${name} average` })),
        right: Object.entries(props.functions).map(([name, fn]) => fn.metricDuration({ period: fiveMinutes, statistic: 'Maximum', label: `${name} maximum` })),
        width: 12,
      }),
      new GraphWidget({
        // Function URL metrics (https://docs.aws.amazon.com/lambda/latest/dg/urls-monitoring.html): a
        // failed read is a 500 the function answers itself, so it shows here, not in its Errors.
        title: 'Plans function: reviewers’ requests and answers',
        left: [
          props.functions.Plans.metric('UrlRequestCount', { statistic: 'Sum', period: fiveMinutes, label: 'requests' }),
          props.functions.Plans.metric('Url4xxCount', { statistic: 'Sum', period: fiveMinutes, label: '4xx (expired, altered or unknown links)' }),
          props.functions.Plans.metric('Url5xxCount', { statistic: 'Sum', period: fiveMinutes, label: '5xx (plan could not be read)' }),
        ],
        leftYAxis: { min: 0, label: 'requests' },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Security posture: production-checklist checks failing or unreadable',
        left: [
          search(BY_TARGET, cloudWatchName('consul_gitops_posture_checks_failing'), 'Maximum', hour),
          search(BY_TARGET, cloudWatchName('consul_gitops_posture_checks_unknown'), 'Maximum', hour),
        ],
        leftYAxis: { min: 0, label: 'checks' },
        width: 24,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 }));
  }
}
