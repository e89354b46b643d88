// The plan archive of the reconcile function, from its environment: PLANS_BUCKET (S3), PLANS_URL (the
// plans function's URL, where links point) and the link key's secret (PLAN_LINK_SECRET_ARN or
// PLAN_LINK_SECRET_PARAMETER through Powertools Parameters, or PLAN_LINK_SECRET itself). Without
// PLANS_BUCKET there is no archive, and long plan comments say to run `plan`.
import type { PlanArchive } from '../../app/ports/plan-archive.ts';
import { secretSourceFor } from '../secrets/secret-source.ts';
import { LinkedPlanArchive } from './linked-archive.ts';
import { planLinkKey, PlanLinks } from './plan-links.ts';
import { S3PlanStorage } from './s3-plan-storage.ts';
import type { CredentialsProvider } from '../stats/prometheus-auth.ts';
import { ConsulGitopsError } from '../../errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface PlanEnvOverrides {
  fetch?: typeof globalThis.fetch;
  credentials?: CredentialsProvider;
}

/** The S3 storage and link signer both the reconcile and the plans function use. */
export function s3PlansFromEnv(env: Env, overrides: PlanEnvOverrides = {}): { storage: S3PlanStorage; links: () => Promise<PlanLinks> } {
  const bucket = env.PLANS_BUCKET!;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new ConsulGitopsError('config', "PLANS_BUCKET is set but AWS_REGION is not: the bucket's region is needed to sign requests");
  const secret = secretSourceFor({ secretId: env.PLAN_LINK_SECRET_ARN, parameterName: env.PLAN_LINK_SECRET_PARAMETER, envVariable: 'PLAN_LINK_SECRET' }, env);
  // Lambda sets the role's keys in the environment; the SDK's default chain reads process.env only.
  const fromEnv: CredentialsProvider | undefined =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? async () => ({
          accessKeyId: env.AWS_ACCESS_KEY_ID!,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        })
      : undefined;
  const credentials = overrides.credentials ?? fromEnv;
  let links: Promise<PlanLinks> | undefined;
  return {
    storage: new S3PlanStorage({
      bucket,
      region,
      ...(env.PLANS_S3_ENDPOINT ? { endpoint: env.PLANS_S3_ENDPOINT } : {}),
      ...(credentials ? { credentials } : {}),
    }),
    links: () =>
      (links ??= secret
        .value()
        .then((s) => new PlanLinks(planLinkKey(s)))
        .catch((e: unknown) => {
          links = undefined; // a transient secret-store failure is retried on the next plan
          throw e;
        })),
  };
}

export function planArchiveFromEnv(env: Env, overrides: PlanEnvOverrides = {}): PlanArchive | undefined {
  if (!env.PLANS_BUCKET) return undefined;
  if (!env.PLANS_URL || !/^https?:\/\//.test(env.PLANS_URL))
    throw new ConsulGitopsError('config', "PLANS_BUCKET is set but PLANS_URL is not an http(s) URL: links to plans need the plans function's URL");
  const { storage, links } = s3PlansFromEnv(env, overrides);
  return new LinkedPlanArchive({ storage, links, base: env.PLANS_URL });
}
