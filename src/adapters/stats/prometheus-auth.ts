// How requests to Prometheus are authenticated: bearer token (value or file), basic auth, or SigV4
// for Amazon Managed Service for Prometheus — all from environment variables named in the config.
// Each credential read joins the process's known secrets (src/known-secrets.ts): the variables the
// config names need not look like credentials, and a token file is read again on every request.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { PrometheusStatsConfig } from './config.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { knownSecrets } from '../../known-secrets.ts';
import { readRegularText, whyUnreadable } from '../files/regular-file.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

/** What a request needs before it is sent; `secrets` are redacted from anything we report. */
export interface OutgoingRequest {
  url: URL;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export interface PrometheusAuth {
  readonly kind: 'none' | 'bearer' | 'basic' | 'sigv4';
  /** Adds credentials to the request (signing must see the final body and headers). */
  apply(req: OutgoingRequest): Promise<OutgoingRequest>;
  /** Secret strings known so far, for redaction. */
  secrets(): string[];
}

/** SHA-256 for the signer, on node:crypto (the shape of @aws-crypto/sha256-js). */
export class NodeSha256 {
  readonly #secret?: string | ArrayBuffer | ArrayBufferView;
  #hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret = secret;
    this.#hash = this.#create();
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    const buf = this.#hash.digest();
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  reset(): void {
    this.#hash = this.#create();
  }

  #create(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.#secret));
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export interface AuthDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Overrides the AWS default credential chain (tests; callers with their own chain). */
  awsCredentials?: CredentialsProvider;
  /** For SigV4 tests: a fixed signing time. */
  now?: () => Date;
  /** Where a notice for the user goes (the CLI: stderr); absent: nowhere. */
  warn?: (line: string) => void;
}

export function createPrometheusAuth(config: PrometheusStatsConfig, deps: AuthDeps): PrometheusAuth {
  const auth = chooseAuth(config, deps);
  // Credentials written in the URL lose to any configured ones: say so, never silently (nor with the password).
  const superseding = auth.kind === 'none' ? undefined : supersedingCredentials(config, deps.env);
  const u = new URL(config.url);
  if (superseding && (u.username || u.password))
    deps.warn?.(
      `the user name and password in the Prometheus URL are not used: ${superseding.what} ${superseding.both ? 'are set, and they are' : 'is set, and it is'} what is sent`,
    );
  return auth;
}

/** What wins over the URL's credentials, in the user's words, or undefined when they are the ones used. */
function supersedingCredentials(config: PrometheusStatsConfig, env: Readonly<Record<string, string | undefined>>): { what: string; both?: true } | undefined {
  const a = config.auth;
  if (a.sigv4) return { what: 'advisor.stats.prometheus.auth.sigv4' };
  if (env[a.bearerTokenEnv] || env[a.bearerTokenFileEnv]) return { what: env[a.bearerTokenEnv] ? a.bearerTokenEnv : a.bearerTokenFileEnv };
  if (env[a.usernameEnv] !== undefined && env[a.passwordEnv] !== undefined) return { what: `${a.usernameEnv} and ${a.passwordEnv}`, both: true };
  return undefined;
}

function chooseAuth(config: PrometheusStatsConfig, deps: AuthDeps): PrometheusAuth {
  const { env } = deps;
  const a = config.auth;
  if (a.sigv4) {
    const region = a.sigv4.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new ConsulGitopsError('config', 'advisor.stats.prometheus.auth.sigv4: no region (set sigv4.region or AWS_REGION)');
    return sigv4Auth(region, a.sigv4.service, deps.awsCredentials ?? awsCredentialsFromEnv(env), deps.now);
  }
  const tokenFile = env[a.bearerTokenFileEnv];
  const token = env[a.bearerTokenEnv];
  if (token || tokenFile) {
    let known: string | undefined = token || undefined;
    knownSecrets.add(known, `env ${a.bearerTokenEnv}`);
    return {
      kind: 'bearer',
      async apply(req) {
        if (tokenFile) {
          try {
            // A regular file only, and small: a FIFO or /dev/zero named here hung the run until its deadline.
            known = readRegularText(tokenFile, 64 * 1024).trim();
            knownSecrets.add(known, `the Prometheus token file named by ${a.bearerTokenFileEnv}`);
          } catch (e) {
            throw new ConsulGitopsError('config', `cannot read the Prometheus token file named by ${a.bearerTokenFileEnv}: ${whyUnreadable(e)}`);
          }
        }
        return { ...req, headers: { ...req.headers, authorization: `Bearer ${known}` } };
      },
      secrets: () => (known ? [known] : []),
    };
  }
  const fromEnv = env[a.usernameEnv] !== undefined && env[a.passwordEnv] !== undefined;
  const { user, password } = fromEnv ? { user: env[a.usernameEnv], password: env[a.passwordEnv] } : urlUserinfo(config.url);
  if (user !== undefined && password !== undefined) {
    const encoded = Buffer.from(`${user}:${password}`).toString('base64');
    knownSecrets.add(password, fromEnv ? `env ${a.passwordEnv}` : 'the password in advisor.stats.prometheus.url');
    knownSecrets.add(encoded);
    return {
      kind: 'basic',
      apply: async (req) => ({ ...req, headers: { ...req.headers, authorization: `Basic ${encoded}` } }),
      secrets: () => [password, encoded].filter((s) => s !== ''),
    };
  }
  return { kind: 'none', apply: async (req) => req, secrets: () => [] };
}

/**
 * `https://user:password@host/` as Prometheus's own tools and Grafana read it: basic auth (the HTTP
 * client sends no userinfo itself, so without this the request went out without it). Percent-encoding
 * decoded; a URL without a password gives none.
 */
function urlUserinfo(url: string): { user?: string; password?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return {};
  const decoded = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { user: decoded(u.username), password: decoded(u.password) };
}

/**
 * Static keys from the target's environment when given there, otherwise the AWS SDK's default
 * chain (environment, SSO, shared files, web identity, ECS/EC2 metadata — the Lambda role).
 */
function awsCredentialsFromEnv(env: Readonly<Record<string, string | undefined>>): CredentialsProvider {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const c: AwsCredentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
    if (env.AWS_SESSION_TOKEN) c.sessionToken = env.AWS_SESSION_TOKEN;
    return async () => c;
  }
  const chain = defaultProvider();
  return async () => chain();
}

function sigv4Auth(region: string, service: string, credentials: CredentialsProvider, now?: () => Date): PrometheusAuth {
  const seen = new Set<string>();
  const signer = new SignatureV4({
    service,
    region,
    sha256: NodeSha256,
    credentials: async () => {
      const c = await credentials();
      seen.add(c.secretAccessKey);
      if (c.sessionToken) seen.add(c.sessionToken);
      knownSecrets.add(c.secretAccessKey, 'AWS secret access key (Prometheus SigV4)');
      knownSecrets.add(c.sessionToken, 'AWS session token (Prometheus SigV4)');
      return c;
    },
  });
  return {
    kind: 'sigv4',
    async apply(req) {
      const signed = await signer.sign(
        {
          method: req.method,
          protocol: req.url.protocol,
          hostname: req.url.hostname,
          ...(req.url.port ? { port: Number(req.url.port) } : {}),
          path: req.url.pathname,
          query: Object.fromEntries(req.url.searchParams),
          headers: { ...req.headers, host: req.url.host },
          body: req.body,
        },
        now ? { signingDate: now() } : {},
      );
      return { ...req, headers: signed.headers };
    },
    secrets: () => [...seen],
  };
}

/** Replace every known secret in a text that may reach a report. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
