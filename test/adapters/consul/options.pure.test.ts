import { describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { ConsulOptionsError, baseUrlOf, optionsFromEnv, parseConsulClientOptions, tlsConnectOptions } from '../../../src/adapters/consul/options.ts';

describe('optionsFromEnv', () => {
  it('reads the Consul CLI variables', () => {
    const env = {
      CONSUL_HTTP_ADDR: 'https://consul.example:8501',
      CONSUL_HTTP_TOKEN: 'tok',
      CONSUL_HTTP_TOKEN_FILE: '/run/token',
      CONSUL_CACERT: '/tls/ca.pem',
      CONSUL_CAPATH: '/tls/cas',
      CONSUL_CLIENT_CERT: '/tls/cert.pem',
      CONSUL_CLIENT_KEY: '/tls/key.pem',
      CONSUL_TLS_SERVER_NAME: 'server.dc1.consul',
      CONSUL_HTTP_SSL_VERIFY: 'false',
      CONSUL_NAMESPACE: 'team-a',
      CONSUL_PARTITION: 'eu',
      CONSUL_DATACENTER: 'dc2',
      UNRELATED: 'x',
    };
    expect(optionsFromEnv(env)).toEqual({
      address: 'https://consul.example:8501',
      token: 'tok',
      tokenFile: '/run/token',
      tokenFileFrom: 'CONSUL_HTTP_TOKEN_FILE',
      datacenter: 'dc2',
      namespace: 'team-a',
      partition: 'eu',
      tls: {
        caFile: '/tls/ca.pem',
        caPath: '/tls/cas',
        certFile: '/tls/cert.pem',
        keyFile: '/tls/key.pem',
        serverName: 'server.dc1.consul',
        insecureSkipVerify: true,
      },
    });
  });

  it('treats empty variables as unset and defaults to 127.0.0.1:8500', () => {
    const options = parseConsulClientOptions(optionsFromEnv({ CONSUL_HTTP_ADDR: '', CONSUL_HTTP_TOKEN: '' }));
    expect(options.token).toBeUndefined();
    expect(baseUrlOf(options).href).toBe('http://127.0.0.1:8500/');
  });

  it('rejects a malformed boolean instead of guessing', () => {
    expect(() => optionsFromEnv({ CONSUL_HTTP_SSL_VERIFY: 'nope' })).toThrow(ConsulOptionsError);
  });

  it('uses https for a scheme-less address when CONSUL_HTTP_SSL=true', () => {
    const options = parseConsulClientOptions(optionsFromEnv({ CONSUL_HTTP_ADDR: 'consul:8501', CONSUL_HTTP_SSL: 'true' }));
    expect(baseUrlOf(options).href).toBe('https://consul:8501/');
  });
});

describe('baseUrlOf', () => {
  it.each([
    ['127.0.0.1:8500', false, 'http://127.0.0.1:8500/'],
    ['http://consul:8500', true, 'http://consul:8500/'],
    ['https://consul:8501/', false, 'https://consul:8501/'],
    ['https://gw.example/consul', false, 'https://gw.example/consul'],
  ] as const)('%s (https=%s) → %s', (address, https, href) => {
    expect(baseUrlOf({ address, https }).href).toBe(href);
  });

  it.each(['unix:///var/run/consul.sock', 'ftp://x', 'http://'])('rejects %s', (address) => {
    expect(() => baseUrlOf({ address, https: false })).toThrow(ConsulOptionsError);
  });
});

describe('tlsConnectOptions', () => {
  const files: Record<string, string> = { '/ca.pem': 'CA1', '/cas/a.pem': 'CA2', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
  const read = (p: string): string => {
    const v = files[p];
    if (v === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return v;
  };
  const list = (dir: string): string[] => Object.keys(files).filter((f) => f.startsWith(`${dir}/`));

  it('maps CA bundle, CA dir, client cert/key and server name to undici connect options', () => {
    const tls = { caFile: '/ca.pem', caPath: '/cas', certFile: '/cert.pem', keyFile: '/key.pem', serverName: 'consul.internal', insecureSkipVerify: false };
    expect(tlsConnectOptions(tls, read, list)).toEqual({
      ca: ['CA1', 'CA2'],
      cert: 'CERT',
      key: 'KEY',
      servername: 'consul.internal',
      rejectUnauthorized: true,
    });
  });

  it('turns verification off only when asked', () => {
    expect(tlsConnectOptions(undefined, read, list)).toEqual({ rejectUnauthorized: true });
    expect(tlsConnectOptions({ insecureSkipVerify: true }, read, list)).toEqual({ rejectUnauthorized: false });
  });

  it('requires cert and key together, and names unreadable files', () => {
    expect(() => tlsConnectOptions({ certFile: '/cert.pem', insecureSkipVerify: false }, read, list)).toThrow('must be given together');
    expect(() => tlsConnectOptions({ caFile: '/missing.pem', insecureSkipVerify: false }, read, list)).toThrow('cannot read CA file /missing.pem: ENOENT');
  });

  it('reads the PEM files when an https client is built', () => {
    const seen: string[] = [];
    const c = new ConsulClient({ address: 'https://consul:8501', tls: { caFile: '/ca.pem' } }, { readTextFile: (p) => (seen.push(p), read(p)) });
    expect(seen).toEqual(['/ca.pem']);
    return c.close();
  });
});

describe('parseConsulClientOptions', () => {
  it('applies defaults', () => {
    expect(parseConsulClientOptions({})).toMatchObject({ address: '127.0.0.1:8500', timeoutMs: 10_000, retry: { maxAttempts: 4 } });
  });

  it('reports invalid options without echoing values', () => {
    const secret = 'very-secret-token';
    const attempt = () => parseConsulClientOptions({ token: secret, timeoutMs: -1, extra: secret } as never);
    expect(attempt).toThrow(ConsulOptionsError);
    try {
      attempt();
    } catch (e) {
      expect(String(e)).not.toContain(secret);
      expect(String(e)).toContain('timeoutMs');
    }
  });
});
