// One place for what every consul-gitops function shares: Node 22 on arm64, an ESM bundle built by
// the local esbuild (no Docker), source maps, its own log group with retention, and its own role.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { LAMBDA_LEFT_OUT, lambdaAliases, REQUIRE_SHIM } from './lambda-bundling.ts';

export interface ReconcilerFunctionProps extends Omit<NodejsFunctionProps, 'runtime' | 'architecture' | 'handler' | 'bundling' | 'logGroup' | 'role'> {
  entry: string;
  /** Directory holding package-lock.json and tsconfig.json. */
  projectRoot: string;
  logRetention: RetentionDays;
  logRemovalPolicy?: RemovalPolicy;
}

export class ReconcilerFunction extends NodejsFunction {
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: ReconcilerFunctionProps) {
    const { projectRoot, logRetention, logRemovalPolicy, environment, ...rest } = props;
    const logs = new LogGroup(scope, `${id}Logs`, { retention: logRetention, removalPolicy: logRemovalPolicy });
    // A role of its own, with no managed policy: logging rights for its own log group are added below,
    // everything else by the stack, statement by statement.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    super(scope, id, {
      timeout: Duration.seconds(30),
      memorySize: 256,
      ...rest,
      role,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'handler',
      logGroup: logs,
      loggingFormat: LoggingFormat.JSON,
      projectRoot,
      depsLockFilePath: `${projectRoot}/package-lock.json`,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        esbuildArgs: { '--alias': Object.entries(lambdaAliases(projectRoot)).map(([from, to]) => `${from}=${to}`), '--external': [...LAMBDA_LEFT_OUT] },
        // Pin the SDK we test against instead of whatever the runtime ships.
        bundleAwsSDK: true,
        tsconfig: `${projectRoot}/tsconfig.json`,
        forceDockerBundling: false,
      },
    });
    logs.grantWrite(role);
    // A function in a VPC needs to manage its network interfaces; Lambda only adds this policy to roles
    // it creates itself. These EC2 actions do not support resource-level scoping.
    if (props.vpc) {
      role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      NagSuppressions.addResourceSuppressions(role, [
        {
          id: 'AwsSolutions-IAM4',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
          reason:
            'The AWS-maintained policy Lambda documents for VPC functions: ENI create/describe/delete cannot be scoped to resources, and AWS keeps the action list current.',
        },
      ]);
    }
    this.logs = logs;
  }
}
