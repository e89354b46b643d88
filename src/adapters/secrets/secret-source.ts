// Where the functions' secrets come from: Secrets Manager or SSM Parameter Store through Powertools
// Parameters (https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/), whose
// cache expires after `maxAge` seconds, so a rotated secret is read again without a cold start; or,
// outside AWS (tests, `serve`), an environment variable. The SDK clients are imported on the first
// read, so a function whose secret comes from the environment never loads them.
//
// Secret values never appear in errors or logs: errors name the secret and the store's error code only.
// Every value read (the first, and each one a rotation brings) is added to the process's registry
// of known secrets (src/known-secrets.ts), which the logger and the GitHub client mask.
import { Buffer } from 'node:buffer';
import { ConsulGitopsError } from '../../errors.ts';
import { knownSecrets } from '../../known-secrets.ts';

/** One secret value, read on demand. */
export interface SecretSource {
  /** A short, non-secret description for logs and errors: the env var, secret id or parameter name. */
  readonly description: string;
  value(): Promise<string>;
  /** Read the store again past the cache (absent: the value cannot change while the process runs). */
  refresh?(): Promise<string>;
}

export class SecretUnavailableError extends ConsulGitopsError {
  constructor(message: string, options?: ErrorOptions) {
    super('secret-unavailable', message, options);
    this.name = 'SecretUnavailableError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** A secret held in an environment variable (tests and the long-running `serve` mode). */
export function envSecretSource(env: Env, variable: string): SecretSource {
  return {
    description: `env ${variable}`,
    async value() {
      const value = env[variable];
      if (!value) throw new SecretUnavailableError(`environment variable ${variable} is empty or unset`);
      knownSecrets.add(value, `env ${variable}`);
      return value;
    },
  };
}

export type StoredSecretRef = { secretsManager: string } | { ssmParameter: string };

/** Default seconds a value is served from memory (POWERTOOLS_PARAMETERS_MAX_AGE overrides). */
export const DEFAULT_MAX_AGE_SECONDS = 300;

/**
 * Forced reads (refresh) are at most this often: a stream of forged signatures must not turn into a
 * stream of store reads (each one billed and rate-limited by AWS). A real rotation is still seen at
 * once, since GitHub's first delivery with the new secret forces the read.
 */
export const MIN_REFRESH_INTERVAL_MS = 10_000;

export interface StoredSecretOptions {
  maxAgeSeconds?: number;
  /** The environment the SDK client's region, endpoint and credentials come from (process.env in Lambda). */
  env: Env;
  now?: () => number;
}

interface Provider {
  get(name: string, options: Record<string, unknown>): Promise<unknown>;
}

/** A Secrets Manager secret (name or ARN) or an SSM parameter (SecureString decrypted), cached for `maxAgeSeconds`. */
export function storedSecretSource(ref: StoredSecretRef, options: StoredSecretOptions): SecretSource {
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  const now = options.now ?? Date.now;
  const [description, name] =
    'secretsManager' in ref ? [`secret ${ref.secretsManager}`, ref.secretsManager] : [`parameter ${ref.ssmParameter}`, ref.ssmParameter];
  let provider: Promise<Provider> | undefined;
  let reading: Promise<string> | undefined;
  let lastForced = -Infinity;

  const read = async (forceFetch: boolean): Promise<string> => {
    provider ??= providerFor(ref, options.env).catch((error: unknown) => {
      provider = undefined;
      throw error;
    });
    let raw: unknown;
    try {
      raw = await (await provider).get(name, { maxAge, forceFetch, ...('ssmParameter' in ref ? { decrypt: true } : {}) });
    } catch (error) {
      // The store's message is not kept in ours: only its error code (AccessDeniedException, …).
      throw new SecretUnavailableError(`${description}: could not be read (${errorCode(error)})`, { cause: error });
    }
    const value = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined;
    if (!value) throw new SecretUnavailableError(`${description}: the store holds no string value`);
    knownSecrets.add(value, description);
    return value;
  };

  const source: SecretSource = {
    description,
    value() {
      // Concurrent first deliveries share one read.
      reading ??= read(false).finally(() => {
        reading = undefined;
      });
      return reading;
    },
    async refresh() {
      if (now() - lastForced < MIN_REFRESH_INTERVAL_MS) return source.value();
      lastForced = now();
      return read(true);
    },
  };
  return source;
}

/** The SDK error's code: the innermost cause's name (Powertools wraps it in GetParameterError). */
function errorCode(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.name : 'unknown error';
}

async function providerFor(ref: StoredSecretRef, env: Env): Promise<Provider> {
  const clientConfig = sdkClientConfig(env, 'secretsManager' in ref ? 'SECRETS_MANAGER' : 'SSM');
  if ('secretsManager' in ref) {
    const { SecretsProvider } = await import('@aws-lambda-powertools/parameters/secrets');
    return new SecretsProvider({ clientConfig });
  }
  const { SSMProvider } = await import('@aws-lambda-powertools/parameters/ssm');
  return new SSMProvider({ clientConfig });
}

/**
 * Region, endpoint and credentials from `env` as the SDK reads them from process.env (in Lambda they
 * are the same object; tests pass their own). Short timeouts: the webhook answers GitHub within 10 s.
 */
function sdkClientConfig(env: Env, service: 'SECRETS_MANAGER' | 'SSM') {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  return {
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

export interface SecretLocation {
  /** Secrets Manager secret name or ARN. */
  secretId?: string;
  /** SSM parameter name. */
  parameterName?: string;
  /** Environment variable holding the value itself (tests, `serve`). */
  envVariable?: string;
  /** Seconds a stored value is served from memory. */
  maxAgeSeconds?: number;
}

/** Pick the source for a secret: Secrets Manager, else SSM, else the environment variable. */
export function secretSourceFor(location: SecretLocation, env: Env): SecretSource {
  const stored: StoredSecretRef | undefined = location.secretId
    ? { secretsManager: location.secretId }
    : location.parameterName
      ? { ssmParameter: location.parameterName }
      : undefined;
  if (stored) return storedSecretSource(stored, { env, ...(location.maxAgeSeconds !== undefined ? { maxAgeSeconds: location.maxAgeSeconds } : {}) });
  if (!location.envVariable) throw new SecretUnavailableError('no secret location configured');
  return envSecretSource(env, location.envVariable);
}
