// Plans in an S3 bucket, by SigV4-signed PUT and GET on S3's REST API (no S3 SDK client: the
// reconcile bundle stays small). The bucket encrypts at rest and expires objects (infra); requests
// go over TLS with the function's role credentials. Errors name the bucket and HTTP status only.
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { NodeSha256, type AwsCredentials, type CredentialsProvider } from '../stats/prometheus-auth.ts';
import type { PlanStorage } from './plan-storage.ts';
import { PLAN_ID } from './plan-links.ts';
import { ConsulGitopsError } from '../../errors.ts';

export interface S3PlanStorageOptions {
  bucket: string;
  region: string;
  /** Path-style endpoint instead of `https://<bucket>.s3.<region>.amazonaws.com` (tests: a loopback double). */
  endpoint?: string;
  credentials?: CredentialsProvider;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

export class S3PlanStorage implements PlanStorage {
  private readonly signer: SignatureV4;
  private readonly doFetch: typeof globalThis.fetch;

  constructor(private readonly options: S3PlanStorageOptions) {
    // S3 signs the path as sent (no double escaping) and wants the payload hash as a header.
    this.signer = new SignatureV4({
      service: 's3',
      region: options.region,
      sha256: NodeSha256,
      credentials: options.credentials ?? awsCredentials(),
      uriEscapePath: false,
      applyChecksum: true,
    });
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  async put(id: string, text: string): Promise<void> {
    const res = await this.send('PUT', id, text);
    if (!res.ok) throw new ConsulGitopsError('plan-archive', `could not store the plan in S3 bucket ${this.options.bucket}: HTTP ${res.status}`);
  }

  async get(id: string): Promise<string | undefined> {
    const res = await this.send('GET', id);
    // 404 with s3:ListBucket (granted with read); without it S3 would answer 403 for a missing key.
    if (res.status === 404) return undefined;
    if (!res.ok) throw new ConsulGitopsError('plan-archive', `could not read the plan from S3 bucket ${this.options.bucket}: HTTP ${res.status}`);
    return res.text();
  }

  private async send(method: 'PUT' | 'GET', id: string, body?: string): Promise<Response> {
    // Ids are random base64url; anything else never becomes an object key.
    if (!PLAN_ID.test(id)) throw new ConsulGitopsError('plan-archive', 'not a plan id');
    const { bucket, region, endpoint } = this.options;
    const url = endpoint
      ? new URL(`${endpoint.replace(/\/+$/, '')}/${bucket}/plans/${id}.txt`)
      : new URL(`https://${bucket}.s3.${region}.amazonaws.com/plans/${id}.txt`);
    const payload = body ?? '';
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-content-sha256': createHash('sha256').update(payload).digest('hex'),
      ...(body !== undefined ? { 'content-type': 'text/plain; charset=utf-8' } : {}),
    };
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const { host: _host, ...sent } = signed.headers as Record<string, string>;
    try {
      return await this.doFetch(url, {
        method,
        headers: sent,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new ConsulGitopsError('plan-archive', `S3 bucket ${bucket} did not answer`, { cause });
    }
  }
}

/** The AWS SDK's default chain: environment keys first, then the Lambda role. */
function awsCredentials(): CredentialsProvider {
  const chain = defaultProvider();
  return async (): Promise<AwsCredentials> => chain();
}
