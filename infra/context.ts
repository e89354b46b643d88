// CDK context → stack props. Every key is optional; `-c key=value` gives strings, cdk.json may give
// numbers or lists, so values are coerced. Secret keys take a Secrets Manager name, a full
// Secrets Manager ARN, or `ssm:<parameter name>` for an SSM SecureString parameter.
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import type { ConsulGitopsStackProps, SecretRef } from './consul-gitops-stack.ts';

const text = z.string().min(1).optional();
const list = z
  .union([
    z.array(z.string().min(1)),
    z.string().transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ])
  .optional();
const RETENTIONS = new Set<number>(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

export const StackContext = z.object({
  stackName: z.string().min(1).default('ConsulGitops'),
  webhookSecret: z.string().min(1).default('consul-gitops/github-webhook-secret'),
  consulTokenSecret: z.string().min(1).default('consul-gitops/consul-token'),
  githubTokenSecret: z.string().min(1).default('consul-gitops/github-token'),
  consulHttpAddr: text,
  // Required: the webhook applies only this repository's pushes (an organisation webhook signs every
  // repository's deliveries with the one secret), and the schedule checks its branch for drift.
  repository: z
    .string({
      error: (issue) => (issue.input === undefined ? 'required (-c repository=owner/name: the config repository; the webhook ignores any other)' : undefined),
    })
    .regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name'),
  defaultBranch: text,
  configDir: text,
  scheduleRateMinutes: z.coerce.number().int().min(1).max(1440).default(15),
  /** Reconcile runs in flight at once; set it to the number of Consul targets to reconcile them in parallel. */
  reconcileConcurrency: z.coerce.number().int().min(1).max(100).default(1),
  vpcId: text,
  subnetIds: list,
  securityGroupIds: list,
  logRetentionDays: z.coerce
    .number()
    .refine((d) => RETENTIONS.has(d), 'not a CloudWatch Logs retention value')
    .optional(),
  alarmTopicArn: text,
  /** Entry-file overrides, relative to the project root (default functions/<name>/handler.ts). */
  webhookEntry: text,
  reconcileEntry: text,
  scheduleEntry: text,
});

export function secretRef(value: string): SecretRef {
  if (value.startsWith('ssm:')) return { parameterName: value.slice('ssm:'.length) };
  if (/^arn:[^:]+:secretsmanager:/.test(value)) return { secretArn: value };
  return { secretName: value };
}

export function stackPropsFromContext(get: (key: string) => unknown): Omit<ConsulGitopsStackProps, 'projectRoot'> & { stackName: string } {
  const raw = Object.fromEntries(
    Object.keys(StackContext.shape)
      .map((k): [string, unknown] => [k, get(k)])
      .filter(([, v]) => v !== undefined),
  );
  const parsed = StackContext.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const c = parsed.data;
  if (c.vpcId && !c.subnetIds?.length) throw new Error('invalid CDK context: vpcId needs subnetIds');
  return {
    stackName: c.stackName,
    webhookSecret: secretRef(c.webhookSecret),
    consulTokenSecret: secretRef(c.consulTokenSecret),
    githubTokenSecret: secretRef(c.githubTokenSecret),
    consulHttpAddr: c.consulHttpAddr,
    repository: c.repository,
    defaultBranch: c.defaultBranch,
    configDir: c.configDir,
    scheduleRate: Duration.minutes(c.scheduleRateMinutes),
    reconcileConcurrency: c.reconcileConcurrency,
    vpc: c.vpcId ? { vpcId: c.vpcId, subnetIds: c.subnetIds ?? [], securityGroupIds: c.securityGroupIds } : undefined,
    logRetention: c.logRetentionDays,
    alarmTopicArn: c.alarmTopicArn,
    entries: { webhook: c.webhookEntry, reconcile: c.reconcileEntry, schedule: c.scheduleEntry },
  };
}
