// A warm container must recover from a transient failure building its GitHub client (Secrets Manager
// not answering, a GitHub App installation token request failing): the runtime must not keep the
// rejected client for the rest of the container's life. And a rotated GitHub token (read again after
// the secret's maxAge) is used without a cold start.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildRuntime } from '../../src/runtime/build-runtime.ts';
import { awsEnv, startSecretsDouble, type SecretsDouble } from '../support/aws-secrets-double.ts';
import { startGitHubDouble } from '../support/github-double.ts';

let aws: SecretsDouble;
beforeAll(async () => {
  aws = await startSecretsDouble();
});
afterAll(() => aws.close());

describe('buildRuntime', () => {
  it('retries the GitHub token secret after a failed read instead of caching the failure', async () => {
    aws.secrets.set('consul-gitops/github-token', 'ghp_fromSecretsManager0123456789');
    aws.failWith = { status: 500, type: 'InternalServiceError', message: 'try later' };
    aws.calls.length = 0;
    const runtime = buildRuntime(
      { ...awsEnv(aws), GITHUB_TOKEN_SECRET_ARN: 'consul-gitops/github-token', CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' },
      { github: { throttle: false, retries: 0 } },
    );
    try {
      await expect(runtime.forTarget()).rejects.toThrow(/consul-gitops\/github-token: could not be read \(InternalServiceError\)/);
      aws.failWith = undefined;
      const second = await runtime.forTarget();
      expect(second.target.name).toBe('default');
    } finally {
      aws.failWith = undefined;
      await runtime.close();
    }
  });

  it('uses a rotated GitHub token once the cached one is older than POWERTOOLS_PARAMETERS_MAX_AGE', async () => {
    const github = await startGitHubDouble({ owner: 'acme', repo: 'mesh' });
    const sha = github.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\n' }, 'mesh');
    aws.secrets.set('consul-gitops/github-token', 'ghp_before0123456789');
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T12:00:00Z') });
    const runtime = buildRuntime(
      {
        ...awsEnv(aws),
        GITHUB_TOKEN_SECRET_ARN: 'consul-gitops/github-token',
        POWERTOOLS_PARAMETERS_MAX_AGE: '60',
        GITHUB_API_URL: github.url,
        CONSUL_HTTP_ADDR: 'http://127.0.0.1:1',
      },
      { github: { throttle: false, retries: 0 } },
    );
    const readTree = async () => (await runtime.forTarget()).deps.source.read({ owner: 'acme', repo: 'mesh', sha }, 'config-entries');
    const tokens = () => [...new Set(github.requests.map((r) => r.authorization))];
    try {
      await readTree();
      aws.secrets.set('consul-gitops/github-token', 'ghp_after0123456789');
      vi.setSystemTime(Date.now() + 30_000);
      await readTree();
      expect(tokens()).toEqual(['token ghp_before0123456789']);
      vi.setSystemTime(Date.now() + 31_000);
      github.requests.length = 0;
      await readTree();
      expect(tokens()).toEqual(['token ghp_after0123456789']);
    } finally {
      vi.useRealTimers();
      await runtime.close();
      await github.close();
    }
  });
});

describe('buildRuntime with the Consul token in Secrets Manager', () => {
  it('builds a new Consul client with the rotated token once the cached one is older than maxAge', async () => {
    aws.secrets.set('consul-gitops/consul-token', 'consul-token-before-0123');
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T12:00:00Z') });
    const runtime = buildRuntime({
      ...awsEnv(aws),
      GITHUB_TOKEN: 'ghp_runtime0123456789',
      CONSUL_TOKEN_SECRET_ARN: 'consul-gitops/consul-token',
      POWERTOOLS_PARAMETERS_MAX_AGE: '60',
      CONSUL_HTTP_ADDR: 'http://127.0.0.1:1',
    });
    try {
      const first = (await runtime.forTarget()).consul;
      aws.secrets.set('consul-gitops/consul-token', 'consul-token-after-4567');
      expect((await runtime.forTarget()).consul).toBe(first);
      vi.setSystemTime(Date.now() + 61_000);
      const second = (await runtime.forTarget()).consul;
      expect(second).not.toBe(first);
      expect(second.options.token).toBe('consul-token-after-4567');
      expect(first.options.token).toBe('consul-token-before-0123');
    } finally {
      vi.useRealTimers();
      await runtime.close();
    }
  });
});

describe('buildRuntime with a target that sets caCert', () => {
  it('keeps the client certificate and verify settings from the environment (mTLS to Consul)', async () => {
    const runtime = buildRuntime({
      GITHUB_TOKEN: 'ghp_runtimeTLS0123456789',
      TARGETS_CONFIG: JSON.stringify({ targets: [{ name: 'dc1', consul: { address: 'http://127.0.0.1:1', caCert: '/etc/consul/dc1-ca.pem' } }] }),
      CONSUL_CLIENT_CERT: '/etc/consul/client.pem',
      CONSUL_CLIENT_KEY: '/etc/consul/client-key.pem',
      CONSUL_TLS_SERVER_NAME: 'server.dc1.consul',
    });
    try {
      const { consul } = await runtime.forTarget('dc1');
      expect(consul.options.tls).toMatchObject({
        caFile: '/etc/consul/dc1-ca.pem',
        certFile: '/etc/consul/client.pem',
        keyFile: '/etc/consul/client-key.pem',
        serverName: 'server.dc1.consul',
      });
    } finally {
      await runtime.close();
    }
  });

  it('applies a target tlsServerName even without its own caCert', async () => {
    const runtime = buildRuntime({
      GITHUB_TOKEN: 'ghp_runtimeTLS0123456789',
      TARGETS_CONFIG: JSON.stringify({ targets: [{ name: 'dc1', consul: { address: 'http://127.0.0.1:1', tlsServerName: 'server.dc1.consul' } }] }),
      CONSUL_CACERT: '/etc/consul/ca.pem',
    });
    try {
      const { consul } = await runtime.forTarget('dc1');
      expect(consul.options.tls).toMatchObject({ caFile: '/etc/consul/ca.pem', serverName: 'server.dc1.consul' });
    } finally {
      await runtime.close();
    }
  });
});
