// The whole deployment: webhook (Function URL) → reconcile (async, one at a time) ← schedule
// (EventBridge rate), secrets referenced by name or ARN, a dead-letter queue for failed async
// invocations, alarms, and optional VPC placement to reach a private Consul.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { SecurityGroup, Subnet, Vpc, type IVpc, type ISecurityGroup, type SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReconcilerFunction } from './constructs/reconciler-function.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { PlanArchive } from './constructs/plan-archive.ts';

/** A secret that already exists: never created here, so its value is never in a template. */
export type SecretRef = { secretName: string } | { secretArn: string } | { parameterName: string };

/** What the one GitHub token does: read trees, statuses, plan comments and issues, and the advisor's branches and PRs. */
export const GITHUB_TOKEN_PERMISSIONS = 'Contents: read and write; Pull requests: read and write; Issues: read and write; Commit statuses: read and write';

export interface VpcPlacement {
  vpcId: string;
  /** Private subnets with a route to Consul (and to Secrets Manager/SSM: a NAT or VPC endpoints). */
  subnetIds: string[];
  /** Default: one security group per function, all egress allowed, no ingress. */
  securityGroupIds?: string[];
}

export type FunctionName = 'webhook' | 'reconcile' | 'schedule' | 'plans';

export interface ConsulGitopsStackProps extends StackProps {
  /** Directory holding package.json, package-lock.json and tsconfig.json. */
  projectRoot: string;
  /** Entry files, absolute or relative to `projectRoot`; default `functions/<name>/handler.ts`. */
  entries?: Partial<Record<FunctionName, string>>;
  webhookSecret: SecretRef;
  consulTokenSecret: SecretRef;
  githubTokenSecret: SecretRef;
  /** `CONSUL_HTTP_ADDR` for reconcile, e.g. `https://consul.internal:8501`. */
  consulHttpAddr?: string;
  /**
   * `owner/name` of the config repository. Required: the webhook applies only its pushes (a secret
   * an organisation's repositories share signs all of theirs), and the schedule checks its branch.
   */
  repository: string;
  defaultBranch?: string;
  configDir?: string;
  /** How often schedule runs. Default 15 minutes. */
  scheduleRate?: Duration;
  /** Where reconcile and schedule run, to reach a private Consul. The webhook needs no VPC. */
  vpc?: VpcPlacement;
  logRetention?: RetentionDays;
  /** SNS topic ARN notified by every alarm. */
  alarmTopicArn?: string;
  reconcileTimeout?: Duration;
  /**
   * Reconcile runs that may be in flight at once: one per Consul target lets targets reconcile in
   * parallel, while each target's own runs are serialised by a lease in Consul KV. Default 1.
   */
  reconcileConcurrency?: number;
  /** Extra environment per function, for settings this stack does not model. */
  environment?: Partial<Record<FunctionName, Record<string, string>>>;
}

export class ConsulGitopsStack extends Stack {
  readonly webhook: ReconcilerFunction;
  readonly reconcile: ReconcilerFunction;
  readonly schedule: ReconcilerFunction;
  readonly deadLetterQueue: Queue;
  readonly webhookUrl: string;
  readonly dashboard: OperationsDashboard;
  /** Long pull-request plans: the bucket, and the function that serves them by signed link. */
  readonly plans: PlanArchive;

  constructor(scope: Construct, id: string, props: ConsulGitopsStackProps) {
    super(scope, id, props);
    // Typed as required, but a JavaScript caller or an empty string would deploy a webhook that refuses every delivery.
    if (!props.repository)
      throw new Error("consul-gitops: repository (owner/name, -c repository=...) is required: the webhook applies only that repository's pushes");
    const entry = (name: FunctionName) => {
      const file = resolve(props.projectRoot, props.entries?.[name] ?? `functions/${name}/handler.ts`);
      if (!existsSync(file)) throw new Error(`entry file of the ${name} function not found: ${file}`);
      return file;
    };
    const common = { projectRoot: props.projectRoot, logRetention: props.logRetention ?? RetentionDays.ONE_MONTH };

    this.deadLetterQueue = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const onFailure = new SqsDestination(this.deadLetterQueue);
    const placement = props.vpc && this.placement(props.vpc);

    const consulToken = this.secret('ConsulToken', props.consulTokenSecret);
    const githubToken = this.secret('GithubToken', props.githubTokenSecret);
    this.reconcile = new ReconcilerFunction(this, 'Reconcile', {
      ...common,
      ...placement,
      entry: entry('reconcile'),
      description: 'consul-gitops: plan and apply config entries from Git to Consul',
      timeout: props.reconcileTimeout ?? Duration.minutes(5),
      memorySize: 512,
      // Runs for one target never interleave (a lease in Consul KV); this caps how many targets run
      // at once. Further async events wait in Lambda's queue.
      reservedConcurrentExecutions: props.reconcileConcurrency ?? 1,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure,
      environment: {
        ...(props.consulHttpAddr ? { CONSUL_HTTP_ADDR: props.consulHttpAddr } : {}),
        GITHUB_REPOSITORY: props.repository,
        DEFAULT_BRANCH: props.defaultBranch ?? 'main',
        CONFIG_DIR: props.configDir ?? 'config-entries',
        ...consulToken.environment('CONSUL_TOKEN_SECRET'),
        ...githubToken.environment('GITHUB_TOKEN_SECRET'),
        ...props.environment?.reconcile,
      },
    });
    consulToken.grantRead(this.reconcile);
    githubToken.grantRead(this.reconcile);
    this.plans = new PlanArchive(this, 'Plans', {
      ...common,
      entry: entry('plans'),
      writer: this.reconcile,
      ...(props.environment?.plans ? { environment: props.environment.plans } : {}),
    });

    const webhookSecret = this.secret('WebhookSecret', props.webhookSecret);
    this.webhook = new ReconcilerFunction(this, 'Webhook', {
      ...common,
      entry: entry('webhook'),
      description: 'consul-gitops: verify GitHub webhooks and start reconcile',
      // GitHub gives up after 10 s; the handler only calls the Lambda API.
      timeout: Duration.seconds(8),
      environment: {
        RECONCILE_FUNCTION_NAME: this.reconcile.functionName,
        DEFAULT_BRANCH: props.defaultBranch ?? 'main',
        CONFIG_DIR: props.configDir ?? 'config-entries',
        GITHUB_REPOSITORY: props.repository,
        ...webhookSecret.environment('WEBHOOK_SECRET'),
        ...props.environment?.webhook,
      },
    });
    webhookSecret.grantRead(this.webhook);
    allowInvoke(this.webhook, this.reconcile);
    // GitHub cannot sign AWS requests; it signs the body with the webhook secret, which the handler checks.
    const url = this.webhook.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    this.webhookUrl = url.url;
    new CfnOutput(this, 'WebhookUrl', { value: url.url, description: 'Payload URL for the GitHub webhook' });
    // The GitHub token secret serves reconcile and the advisor's proposals alike: the permissions it needs,
    // where a deployer reads the outputs. Contents and Pull requests write: the strict-mode proposals' branches and PRs.
    new CfnOutput(this, 'GitHubTokenPermissions', {
      value: GITHUB_TOKEN_PERMISSIONS,
      description: 'Permissions the GitHub token (or App installation) in the githubTokenSecret needs on the config repository',
    });

    this.schedule = new ReconcilerFunction(this, 'Schedule', {
      ...common,
      ...placement,
      entry: entry('schedule'),
      description: 'consul-gitops: periodic run (drift and promotions)',
      timeout: Duration.minutes(1),
      retryAttempts: 2,
      onFailure,
      environment: {
        RECONCILE_FUNCTION_NAME: this.reconcile.functionName,
        DEFAULT_BRANCH: props.defaultBranch ?? 'main',
        GITHUB_REPOSITORY: props.repository,
        ...props.environment?.schedule,
      },
    });
    allowInvoke(this.schedule, this.reconcile);
    new Rule(this, 'ScheduleRule', {
      description: 'consul-gitops periodic run',
      schedule: Schedule.rate(props.scheduleRate ?? Duration.minutes(15)),
      targets: [new LambdaFunction(this.schedule, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue })],
    });

    const alarms = this.alarms(props.alarmTopicArn ? new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)) : undefined);
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      functions: { Webhook: this.webhook, Reconcile: this.reconcile, Schedule: this.schedule, Plans: this.plans.function },
      alarms,
    });
    this.suppressFindings();
  }

  private placement(vpc: VpcPlacement): { vpc: IVpc; vpcSubnets: SubnetSelection; securityGroups?: ISecurityGroup[] } {
    const subnets = vpc.subnetIds.map((id, i) => Subnet.fromSubnetId(this, `Subnet${i}`, id));
    return {
      // Subnets are chosen explicitly below, so the VPC's own subnet and AZ lists are never consulted.
      vpc: Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: vpc.vpcId, availabilityZones: this.availabilityZones }),
      vpcSubnets: { subnets },
      securityGroups: vpc.securityGroupIds?.map((id, i) => SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, id)),
    };
  }

  /**
   * The secret's grant, and its location as one environment variable: `<name>_ARN` holding a Secrets
   * Manager name or ARN, or `<name>_PARAMETER` holding an SSM parameter name.
   */
  private secret(id: string, ref: SecretRef): { environment(name: string): Record<string, string>; grantRead(fn: ReconcilerFunction): void } {
    if ('parameterName' in ref) {
      const parameter = StringParameter.fromSecureStringParameterAttributes(this, id, { parameterName: ref.parameterName });
      return {
        environment: (name) => ({ [`${name}_PARAMETER`]: ref.parameterName }),
        grantRead: (fn) => void parameter.grantRead(fn),
      };
    }
    const secret = 'secretArn' in ref ? Secret.fromSecretCompleteArn(this, id, ref.secretArn) : Secret.fromSecretNameV2(this, id, ref.secretName);
    return {
      // Secrets Manager takes a name or a full ARN as SecretId; a name avoids partial-ARN matching.
      environment: (name) => ({ [`${name}_ARN`]: 'secretArn' in ref ? ref.secretArn : ref.secretName }),
      grantRead: (fn) => void secret.grantRead(fn),
    };
  }

  private alarms(action: IAlarmAction | undefined): Alarm[] {
    const all: Alarm[] = [];
    for (const [id, fn] of [
      ['Webhook', this.webhook],
      ['Reconcile', this.reconcile],
      ['Schedule', this.schedule],
      ['Plans', this.plans.function],
    ] as const) {
      all.push(
        fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, `${id}Errors`, {
          alarmDescription: `consul-gitops ${id.toLowerCase()} function errors`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    // The plans function answers a failed read with a 500 of its own rather than failing the
    // invocation (reviewers get a page saying so), so its Errors stay at 0 when S3 or the link key
    // cannot be read: the function URL's 5xx count is what shows it.
    all.push(
      this.plans.function.metric('Url5xxCount', { statistic: 'Sum', period: Duration.minutes(5) }).createAlarm(this, 'PlansServerErrors', {
        alarmDescription: 'consul-gitops plans function answered reviewers with a server error (S3 or the link key could not be read)',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    all.push(
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }).createAlarm(this, 'DeadLetters', {
        alarmDescription: 'consul-gitops: an async invocation failed for good (see the dead-letter queue)',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    if (action) for (const alarm of all) alarm.addAlarmAction(action);
    return all;
  }

  /** cdk-nag (AwsSolutions) findings this design accepts, each with its reason. */
  private suppressFindings(): void {
    const functions = [this.webhook, this.reconcile, this.schedule, this.plans.function];
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter destination (Lambda on-failure destination and EventBridge target DLQ); a DLQ behind it would only move the same messages again.',
      },
    ]);
    NagSuppressions.addResourceSuppressions(functions, [
      {
        id: 'AwsSolutions-L1',
        reason: 'nodejs22.x is the runtime the project builds and tests for (Node 22 toolchain); moving to a newer runtime is a deliberate upgrade, not drift.',
      },
    ]);
  }
}

/** lambda:InvokeFunction on exactly the unqualified function: no `:*` for versions or aliases. */
function allowInvoke(caller: ReconcilerFunction, target: IFunction): void {
  caller.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }));
}
