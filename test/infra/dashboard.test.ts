// The synthesized CloudWatch dashboard, as JSON with CloudFormation references spelled out: a
// snapshot of the whole body (a widget lost or a metric renamed shows in review), plus the facts
// that must hold whatever the layout: every figure the reconcile function publishes is graphed
// under the name and dimensions it is published with, and every alarm of the stack is shown.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConsulGitopsStack } from '../../infra/consul-gitops-stack.ts';
import { NAMESPACE, RUN_METRICS, RUNS } from '../../src/adapters/metrics/catalogue.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `Fn::Join` of strings and references → one string, references as ${LogicalId} or ${LogicalId.Attr}. */
function spell(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if (v['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(spell).join(sep);
  }
  throw new Error(`unexpected CloudFormation value ${JSON.stringify(value)}`);
}

type Body = { widgets: { type: string; properties: Record<string, any> }[] };

function synthesized(): { body: Body; template: Template } {
  // CDK's built-in CloudFormation validation only warns, and cost about 8 s of CPU per synth here.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new ConsulGitopsStack(app, 'ConsulGitops', {
    projectRoot,
    webhookSecret: { secretName: 'consul-gitops/github-webhook-secret' },
    consulTokenSecret: { secretName: 'consul-gitops/consul-token' },
    githubTokenSecret: { secretName: 'consul-gitops/github-token' },
    consulHttpAddr: 'https://consul.internal:8501',
    repository: 'acme/mesh-config',
  });
  const template = Template.fromStack(stack);
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return { body: JSON.parse(spell((dashboards[0] as { Properties: { DashboardBody: unknown } }).Properties.DashboardBody)) as Body, template };
}

describe('operations dashboard', () => {
  const { body, template } = synthesized();
  const expressions = body.widgets.flatMap((w) =>
    (w.properties.metrics ?? []).flatMap((m: unknown[]) => m.map((x) => (x as { expression?: string }).expression).filter(Boolean)),
  );

  it('graphs every published figure under its CloudWatch name and dimensions', () => {
    for (const m of RUN_METRICS) expect(expressions.join('\n')).toContain(`SEARCH('{${NAMESPACE},service,Target} MetricName="${m.cloudWatch}"'`);
    expect(expressions.join('\n')).toContain(`SEARCH('{${NAMESPACE},service,Target,Mode,Outcome} MetricName="${RUNS.cloudWatch}"'`);
  });

  it('opens with the walk to strict and shows every alarm of the stack', () => {
    const graphs = body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title as string);
    expect(graphs[0]).toBe('Walk to strict: services still permissive');
    const alarms = body.widgets.find((w) => w.type === 'alarm')!.properties.alarms as string[];
    expect(alarms.map((a) => a.replace(/^\$\{(\w+?)[0-9A-F]{8}\.Arn\}$/, '$1')).sort()).toEqual([
      'DeadLetters',
      'PlansErrors',
      'PlansServerErrors',
      'ReconcileErrors',
      'ScheduleErrors',
      'WebhookErrors',
    ]);
  });

  it('graphs errors, throttles and duration of every function of the stack, and alarms on its errors', () => {
    // The stack's own functions (the bucket-notification and log-retention helpers CDK may add have no Description of ours).
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, r]) => String((r as { Properties: { Description?: string } }).Properties.Description ?? '').startsWith('consul-gitops'))
      .map(([id]) => id);
    expect(functions).toHaveLength(4);
    const graphed = (metricName: string) =>
      body.widgets
        .flatMap((w) => (w.properties.metrics ?? []) as unknown[][])
        .filter((m) => m[0] === 'AWS/Lambda' && m[1] === metricName)
        .map((m) => m[3]);
    for (const id of functions) for (const metric of ['Errors', 'Throttles', 'Duration']) expect(graphed(metric)).toContain(`\${${id}}`);
    const alarmed = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((r) => (r as { Properties: { MetricName?: string; Dimensions?: { Value: { Ref: string } }[] } }).Properties)
      .filter((p) => p.MetricName === 'Errors')
      .map((p) => p.Dimensions?.[0]?.Value.Ref);
    expect(alarmed.sort()).toEqual([...functions].sort());
    // The plans function answers a failed read with its own 500: its function URL's 5xx count is graphed and alarmed.
    const plans = functions.find((id) => id.startsWith('Plans'))!;
    expect(graphed('Url5xxCount')).toEqual([`\${${plans}}`]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Url5xxCount', Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1 });
  });

  it('matches the reviewed snapshot', () => {
    expect(body).toMatchSnapshot();
  });
});
