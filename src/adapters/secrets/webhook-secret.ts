// The webhook secret GitHub signs deliveries with, found the same way by the webhook function and by
// `serve`: a Secrets Manager secret (WEBHOOK_SECRET_ARN), else an SSM parameter
// (WEBHOOK_SECRET_PARAMETER), both read through Powertools Parameters and kept for
// POWERTOOLS_PARAMETERS_MAX_AGE seconds, else GITHUB_WEBHOOK_SECRET itself.
import type { EnvValues, WEBHOOK_SECRET_VARIABLES } from '../../config/environment.ts';
import { secretSourceFor, type SecretSource } from './secret-source.ts';

type Env = Readonly<Record<string, string | undefined>>;

export type WebhookSecretSettings = EnvValues<typeof WEBHOOK_SECRET_VARIABLES>;

/** Whether any of the three places is configured (serve requires one at start). */
export function webhookSecretConfigured(s: WebhookSecretSettings): boolean {
  return Boolean(s.webhookSecretArn || s.webhookSecretParameter || s.webhookSecret);
}

/**
 * The source of the webhook secret. `env` is where GITHUB_WEBHOOK_SECRET and the AWS SDK's region,
 * endpoint and credentials are read (process.env in Lambda; serve's environment with its env file).
 */
export function webhookSecretSource(s: WebhookSecretSettings, env: Env): SecretSource {
  return secretSourceFor(
    {
      ...(s.webhookSecretArn ? { secretId: s.webhookSecretArn } : {}),
      ...(s.webhookSecretParameter ? { parameterName: s.webhookSecretParameter } : {}),
      envVariable: 'GITHUB_WEBHOOK_SECRET',
      maxAgeSeconds: s.secretMaxAge,
    },
    env,
  );
}
