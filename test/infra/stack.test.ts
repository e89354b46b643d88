// Template assertions and cdk-nag for the stack. The first app bundles all three functions for real
// with the local esbuild; the variant app (every optional setting at once) skips bundling
// (`aws:cdk:bundling-stacks: []`) because its tests only check wiring. Entry files for reconcile and schedule are used when present; while another
// engineer is still writing them, tiny temporary entries stand in (created outside functions/).
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsulGitopsStack, type ConsulGitopsStackProps, type FunctionName } from '../../infra/consul-gitops-stack.ts';
import { secretRef, stackPropsFromContext } from '../../infra/context.ts';
import { fieldText } from '../../src/model/field-text.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
let scratch: string;
let entries: Partial<Record<FunctionName, string>>;

function entriesFor(): Partial<Record<FunctionName, string>> {
  const result: Partial<Record<FunctionName, string>> = {};
  for (const name of ['reconcile', 'schedule'] as const) {
    if (existsSync(join(projectRoot, 'functions', name, 'handler.ts'))) continue;
    const file = join(scratch, `${name}.ts`);
    writeFileSync(file, `export async function handler(event: unknown) { return { ${name}: event }; }\n`);
    result[name] = file;
  }
  return result;
}

function baseProps(): ConsulGitopsStackProps {
  return {
    projectRoot,
    entries,
    webhookSecret: { secretName: 'consul-gitops/github-webhook-secret' },
    consulTokenSecret: { secretName: 'consul-gitops/consul-token' },
    githubTokenSecret: { secretName: 'consul-gitops/github-token' },
    consulHttpAddr: 'https://consul.internal:8501',
    repository: 'acme/mesh-config',
  };
}

function synth(props: Partial<ConsulGitopsStackProps> = {}, bundle = false): { stack: ConsulGitopsStack; template: Template; outdir: string } {
  // CDK's built-in CloudFormation validation only warns (its errors are downgraded unless a flag asks),
  // no test here reads its report, and it cost about 7 s of CPU to start and 1 s per synth.
  const app = new App({ context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new ConsulGitopsStack(app, 'ConsulGitops', { ...baseProps(), ...props });
  // logIgnores: suppressed findings show as info annotations, proving the checks ran.
  Aspects.of(app).add(new AwsSolutionsChecks({ logIgnores: true }));
  return { stack, template: Template.fromStack(stack), outdir: app.outdir };
}

let main: ReturnType<typeof synth>;
/**
 * One stack with every optional setting the tests below check (each assertion reads only its own
 * setting's resources), synthesized once instead of once per setting (about 2 s of CPU each).
 */
let variant: ReturnType<typeof synth>;

beforeAll(() => {
  // NodejsFunction wants entries under projectRoot; removed again in afterAll.
  scratch = mkdtempSync(join(projectRoot, 'test', 'infra', '.tmp-entries-'));
  entries = entriesFor();
  main = synth({}, true);
  variant = synth({
    reconcileConcurrency: 3,
    scheduleRate: Duration.minutes(5),
    alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
    vpc: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], securityGroupIds: ['sg-0123456789abcdef0'] },
    webhookSecret: secretRef('ssm:/consul-gitops/webhook'),
    consulTokenSecret: secretRef('ssm:/consul-gitops/consul-token'),
  });
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function functionLogicalId(template: Template, descriptionStart: string): string {
  const found = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(`^consul-gitops: ${descriptionStart}`) } });
  const ids = Object.keys(found);
  expect(ids).toHaveLength(1);
  return ids[0];
}

function policyOf(template: Template, functionId: string): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const fn = template.toJSON().Resources[functionId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actions(statements: { Action: string | string[] }[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

describe('ConsulGitopsStack', () => {
  it('bundles four Node 22 arm64 ESM functions with source maps', () => {
    main.template.resourceCountIs('AWS::Lambda::Function', 4);
    main.template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
      LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }),
      // A real bundle (an S3 asset), not inline code.
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
    });
    const bundles = readdirSync(main.outdir)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => join(main.outdir, d));
    const webhook = bundles.find((d) => readFileSync(join(d, 'index.mjs'), 'utf8').includes('x-hub-signature-256'));
    expect(webhook).toBeDefined();
    expect(readdirSync(webhook!).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(readFileSync(join(webhook!, 'index.mjs'), 'utf8')).toMatch(/^import\{createRequire as __createRequire\}|^import \{ createRequire/);
  });

  it('gives the webhook a public Function URL (GitHub signs the body instead)', () => {
    main.template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [functionLogicalId(main.template, 'verify GitHub'), 'Arn'] },
    });
    main.template.hasOutput('WebhookUrl', {});
  });

  it("says which GitHub permissions the token secret needs, the proposals' Contents and Pull requests write included", () => {
    const value = main.template.findOutputs('GitHubTokenPermissions').GitHubTokenPermissions?.Value as string;
    expect(value).toContain('Contents: read and write');
    expect(value).toContain('Pull requests: read and write');
    expect(value).toContain('Issues: read and write');
  });

  it('lets the webhook only write its logs, read its secret and invoke reconcile', () => {
    const webhook = functionLogicalId(main.template, 'verify GitHub');
    const reconcile = functionLogicalId(main.template, 'plan and apply');
    const statements = policyOf(main.template, webhook);
    expect(actions(statements)).toEqual([
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction');
    expect(invoke?.Resource).toEqual({ 'Fn::GetAtt': [reconcile, 'Arn'] });
    const secret = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(secret?.Resource)).toContain(':secret:consul-gitops/github-webhook-secret-??????');
    main.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^consul-gitops: verify'),
      Environment: {
        Variables: Match.objectLike({
          RECONCILE_FUNCTION_NAME: { Ref: reconcile },
          WEBHOOK_SECRET_ARN: 'consul-gitops/github-webhook-secret',
          DEFAULT_BRANCH: 'main',
          CONFIG_DIR: 'config-entries',
        }),
      },
    });
  });

  it('lets reconcile read only its own secrets, and never invoke anything', () => {
    const statements = policyOf(main.template, functionLogicalId(main.template, 'plan and apply'));
    expect(actions(statements)).not.toContain('lambda:InvokeFunction');
    const secretResources = JSON.stringify(statements.filter((s) => actions([s]).includes('secretsmanager:GetSecretValue')).map((s) => s.Resource));
    expect(secretResources).toContain('consul-gitops/consul-token-??????');
    expect(secretResources).toContain('consul-gitops/github-token-??????');
    expect(secretResources).not.toContain('webhook');
    // The async-failure destination is granted by CDK to the function's role.
    expect(actions(statements)).toContain('sqs:SendMessage');
  });

  it('keeps long plans in a private, encrypted, TLS-only bucket whose objects expire after 30 days', () => {
    main.template.resourceCountIs('AWS::S3::Bucket', 1);
    main.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    main.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('serves plans from a public function URL that may only read plans/ and its key; reconcile may only put plans', () => {
    const plans = functionLogicalId(main.template, 'serve archived plans');
    main.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [plans, 'Arn'] } });
    main.template.hasOutput('PlansUrl', {});
    const read = policyOf(main.template, plans);
    expect(actions(read)).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:ListBucket',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(JSON.stringify(read.find((st) => st.Action === 's3:GetObject')?.Resource)).toContain('/plans/*');
    const reconcile = functionLogicalId(main.template, 'plan and apply');
    const write = policyOf(main.template, reconcile);
    expect(actions(write).filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(JSON.stringify(write.find((st) => st.Action === 's3:PutObject')?.Resource)).toContain('/plans/*');
    const env = main.template.toJSON().Resources[reconcile].Properties.Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['PLANS_BUCKET', 'PLANS_URL', 'PLAN_LINK_SECRET_ARN']));
    expect(JSON.stringify(env.PLANS_URL)).toContain('FunctionUrl');
  });

  it('runs reconcile one at a time, with async failures going to the dead-letter queue', () => {
    const reconcile = functionLogicalId(main.template, 'plan and apply');
    main.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^consul-gitops: plan'),
      ReservedConcurrentExecutions: 1,
      Timeout: 300,
    });
    const queue = Object.keys(main.template.findResources('AWS::SQS::Queue'))[0];
    main.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: reconcile },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    main.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('lets several targets reconcile in parallel when asked (each target still serialised by its KV lease)', () => {
    variant.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^consul-gitops: plan'),
      ReservedConcurrentExecutions: 3,
    });
    expect(stackPropsFromContext((k) => ({ reconcileConcurrency: '3', repository: 'acme/mesh-config' })[k]).reconcileConcurrency).toBe(3);
  });

  it('passes GITHUB_REPOSITORY to the webhook, reconcile and schedule functions, and refuses a stack without it', () => {
    const fns = main.template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^consul-gitops: (verify|plan|periodic)') },
    });
    const repositories = Object.values(fns).map(
      (f) => (f as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables.GITHUB_REPOSITORY,
    );
    expect(repositories).toEqual(['acme/mesh-config', 'acme/mesh-config', 'acme/mesh-config']);
    expect(() => synth({ repository: '' })).toThrow('consul-gitops: repository (owner/name, -c repository=...) is required');
  });

  it('runs schedule every 15 minutes by default, and at the configured rate', () => {
    main.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' });
    variant.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('alarms on errors of every function and on the dead-letter queue', () => {
    main.template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    main.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Threshold: 1 });
    const { template } = variant;
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'] });
  });

  it('keeps logs for the configured retention, one month by default', () => {
    main.template.resourceCountIs('AWS::Logs::LogGroup', 4);
    main.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('places reconcile and schedule, not the webhook, in the given VPC subnets', () => {
    const { stack, template } = variant;
    const inVpc = template.findResources('AWS::Lambda::Function', {
      Properties: { VpcConfig: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], SecurityGroupIds: ['sg-0123456789abcdef0'] } },
    });
    expect(
      Object.values(inVpc)
        .map((r: any) => r.Properties.Description.split(':')[1].trim())
        .sort(),
    ).toEqual(['periodic run (drift and promotions)', 'plan and apply config entries from Git to Consul']);
    expectNoNagErrors(stack);
    const roles = template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } });
    expect(Object.keys(roles).sort()).toEqual([expect.stringMatching(/^ReconcileRole/), expect.stringMatching(/^ScheduleRole/)]);
  });

  it('reads secrets from SSM parameters when given `ssm:` names', () => {
    const { template } = variant;
    const webhook = functionLogicalId(template, 'verify GitHub');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^consul-gitops: verify'),
      Environment: { Variables: Match.objectLike({ WEBHOOK_SECRET_PARAMETER: '/consul-gitops/webhook' }) },
    });
    expect(actions(policyOf(template, webhook))).toEqual(expect.arrayContaining(['ssm:GetParameter']));
    expect(JSON.stringify(policyOf(template, webhook))).toContain(':parameter/consul-gitops/webhook');
  });

  it('creates no secret values (the plan-link key is generated by Secrets Manager, never in the template)', () => {
    main.template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    main.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      SecretString: Match.absent(),
    });
    main.template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  it('has no unsuppressed cdk-nag AwsSolutions errors or warnings', () => {
    expectNoNagErrors(main.stack);
    const suppressed = Annotations.fromStack(main.stack).findInfo('*', Match.stringLikeRegexp('AwsSolutions-'));
    expect(new Set(suppressed.map((i) => fieldText(i.entry.data).match(/AwsSolutions-[A-Za-z0-9]+/)?.[0]))).toEqual(
      new Set(['AwsSolutions-L1', 'AwsSolutions-SQS3', 'AwsSolutions-IAM5', 'AwsSolutions-S1', 'AwsSolutions-SMG4']),
    );
    const warnings = Annotations.fromStack(main.stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(warnings.map((w) => `${w.id}: ${fieldText(w.entry.data).split('\n')[0]}`)).toEqual([]);
  });
});

describe('stackPropsFromContext', () => {
  it('defaults every key but the repository, so `cdk synth -c repository=owner/name` works', () => {
    const props = stackPropsFromContext((k) => (k === 'repository' ? 'acme/mesh-config' : undefined));
    expect(props.repository).toBe('acme/mesh-config');
    expect(props.stackName).toBe('ConsulGitops');
    expect(props.webhookSecret).toEqual({ secretName: 'consul-gitops/github-webhook-secret' });
    expect(props.scheduleRate?.toMinutes()).toBe(15);
  });

  it('reads strings from `-c key=value`', () => {
    const context: Record<string, string> = {
      repository: 'acme/mesh-config',
      scheduleRateMinutes: '5',
      subnetIds: 'subnet-a, subnet-b',
      vpcId: 'vpc-1',
      webhookSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
      logRetentionDays: '90',
    };
    const props = stackPropsFromContext((k) => context[k]);
    expect(props.scheduleRate?.toMinutes()).toBe(5);
    expect(props.vpc).toEqual({ vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: undefined });
    expect(props.webhookSecret).toEqual({ secretArn: context.webhookSecret });
    expect(props.logRetention).toBe(90);
  });

  it('refuses invalid values, naming the key', () => {
    const repository = (k: string) => (k === 'repository' ? 'acme/mesh-config' : undefined);
    expect(() => stackPropsFromContext((k) => (k === 'logRetentionDays' ? '42' : repository(k)))).toThrow('logRetentionDays');
    expect(() => stackPropsFromContext((k) => (k === 'vpcId' ? 'vpc-1' : repository(k)))).toThrow('vpcId needs subnetIds');
  });

  it('refuses a context without the repository, or a malformed one: the webhook would apply any repository its secret signs', () => {
    expect(() => stackPropsFromContext(() => undefined)).toThrow(
      'invalid CDK context: repository: required (-c repository=owner/name: the config repository; the webhook ignores any other)',
    );
    expect(() => stackPropsFromContext((k) => (k === 'repository' ? 'acme' : undefined))).toThrow('repository: expected owner/name');
  });
});

function expectNoNagErrors(stack: ConsulGitopsStack): void {
  const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
  expect(errors.map((e) => `${e.id}: ${fieldText(e.entry.data).split('\n')[0]}`)).toEqual([]);
}
