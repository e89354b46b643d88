// A warm container must recover from a transient failure building its GitHub client (the secrets
// extension not answering yet, a GitHub App installation token request failing): the runtime must
// not keep the rejected client for the rest of the container's life.
import { describe, expect, it } from 'vitest';
import { buildRuntime } from '../../src/runtime/build-runtime.ts';

describe('buildRuntime', () => {
  it('retries the GitHub token secret after a failed fetch instead of caching the failure', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = async (input) => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed');
      const url = String(input);
      if (url.includes('/secretsmanager/get')) return new Response(JSON.stringify({ SecretString: 'ghp_fromSecretsManager0123456789' }));
      return new Response('{}', { status: 404 });
    };
    const runtime = buildRuntime(
      { AWS_SESSION_TOKEN: 'session', GITHUB_TOKEN_SECRET_ARN: 'consul-gitops/github-token', CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' },
      { fetch, github: { throttle: false, retries: 0 } },
    );
    try {
      await expect(runtime.forTarget()).rejects.toThrow(/did not answer/);
      const second = await runtime.forTarget();
      expect(second.target.name).toBe('default');
      expect(calls).toBe(2);
    } finally {
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
