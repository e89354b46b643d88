// Where the functions' secrets come from. Only @aws-sdk/client-lambda is installed, so there is no
// Secrets Manager or SSM SDK client here: in Lambda, secrets are read through the AWS Parameters and
// Secrets Lambda Extension, a layer that serves both stores on http://localhost:2773 and caches them
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html,
// https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html).
// It authenticates calls with the header X-Aws-Parameters-Secrets-Token: $AWS_SESSION_TOKEN.
// Outside Lambda (tests, `serve`), a secret comes from an environment variable.
//
// Secret values never appear in errors or logs: errors name the secret's id and an HTTP status only.
import { ConsulGitopsError } from '../../errors.ts';

/** One secret value, fetched on demand. */
export interface SecretSource {
  /** A short, non-secret description for logs and errors: the env var, secret id or parameter name. */
  readonly description: string;
  value(): Promise<string>;
}

export class SecretUnavailableError extends ConsulGitopsError {
  constructor(message: string, options?: ErrorOptions) {
    super('secret-unavailable', message, options);
    this.name = 'SecretUnavailableError';
  }
}

/** A secret held in an environment variable (tests and the long-running `serve` mode). */
export function envSecretSource(env: Readonly<Record<string, string | undefined>>, variable: string): SecretSource {
  return {
    description: `env ${variable}`,
    async value() {
      const value = env[variable];
      if (!value) throw new SecretUnavailableError(`environment variable ${variable} is empty or unset`);
      return value;
    },
  };
}

export type StoredSecretRef = { secretsManager: string } | { ssmParameter: string };

export interface ExtensionOptions {
  /** `AWS_SESSION_TOKEN` of the function's execution role: the extension's only credential check. */
  sessionToken: string;
  /** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`; 2773 by default. */
  port?: number;
  /** Injected in tests. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/**
 * A Secrets Manager secret (name or ARN) or an SSM parameter (SecureString is decrypted), read through
 * the Parameters and Secrets Lambda Extension.
 */
export function extensionSecretSource(ref: StoredSecretRef, options: ExtensionOptions): SecretSource {
  const port = options.port ?? 2773;
  const doFetch = options.fetch ?? globalThis.fetch;
  const [description, url] =
    'secretsManager' in ref
      ? [`secret ${ref.secretsManager}`, `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(ref.secretsManager)}`]
      : [`parameter ${ref.ssmParameter}`, `http://localhost:${port}/systemsmanager/parameters/get?name=${encodeURIComponent(ref.ssmParameter)}&withDecryption=true`];
  return {
    description,
    async value() {
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { 'X-Aws-Parameters-Secrets-Token': options.sessionToken },
          signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
        });
      } catch (cause) {
        throw new SecretUnavailableError(`${description}: the Parameters and Secrets extension did not answer`, { cause });
      }
      // The error body is not read: it is not needed, and nothing from the store ends up in messages.
      if (!response.ok) throw new SecretUnavailableError(`${description}: the extension answered HTTP ${response.status}`);
      const value = extractValue(ref, await response.json().catch(() => undefined));
      if (!value) throw new SecretUnavailableError(`${description}: no string value in the extension's answer`);
      return value;
    },
  };
}

function extractValue(ref: StoredSecretRef, json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  if ('secretsManager' in ref) {
    const v = (json as { SecretString?: unknown }).SecretString;
    return typeof v === 'string' ? v : undefined;
  }
  const v = (json as { Parameter?: { Value?: unknown } }).Parameter?.Value;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Fetch once, then serve from memory for the container's life. A failed fetch is not cached, so the
 * next request tries again.
 */
export function cachedSecretSource(source: SecretSource): SecretSource {
  let pending: Promise<string> | undefined;
  return {
    description: source.description,
    value() {
      pending ??= source.value().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
  };
}

export interface SecretLocation {
  /** Secrets Manager secret name or ARN. */
  secretId?: string;
  /** SSM parameter name. */
  parameterName?: string;
  /** Environment variable holding the value itself (tests, `serve`). */
  envVariable?: string;
}

/**
 * Pick the source for a secret: Secrets Manager, else SSM, else the environment variable. Stored
 * secrets need the Lambda extension, so `AWS_SESSION_TOKEN` must be set. Cached for the container's life.
 */
export function secretSourceFor(location: SecretLocation, env: Readonly<Record<string, string | undefined>>, fetch?: typeof globalThis.fetch): SecretSource {
  const stored: StoredSecretRef | undefined = location.secretId
    ? { secretsManager: location.secretId }
    : location.parameterName
      ? { ssmParameter: location.parameterName }
      : undefined;
  if (!stored) {
    if (!location.envVariable) throw new SecretUnavailableError('no secret location configured');
    return envSecretSource(env, location.envVariable);
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  if (!sessionToken) throw new SecretUnavailableError('AWS_SESSION_TOKEN is unset: stored secrets are only readable inside Lambda');
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ? Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT) : undefined;
  return cachedSecretSource(extensionSecretSource(stored, { sessionToken, port, fetch }));
}
