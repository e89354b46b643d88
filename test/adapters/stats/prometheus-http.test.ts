// PrometheusTrafficSource's HTTP side against a loopback stand-in for Prometheus's API: the
// credentials each auth mode sends (SigV4 verified by re-signing), timeouts and 5xx retried with a
// bound, warnings surfaced, and secrets kept out of every problem and source.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusStatsSchema } from '../../../src/adapters/stats/config.ts';
import { NodeSha256 } from '../../../src/adapters/stats/prometheus-auth.ts';
import { PrometheusTrafficSource } from '../../../src/adapters/stats/prometheus-source.ts';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
/** What the stand-in answers: status and envelope. */
let answer: (n: number) => { status: number; body: unknown } = () => ({ status: 200, body: matrix([]) });

const matrix = (result: unknown[], warnings?: string[]) => ({ status: 'success', data: { resultType: 'matrix', result }, ...(warnings ? { warnings } : {}) });
const svc = { name: 'orders', namespace: 'default', partition: 'default' };
const window = { start: 1_700_000_000_000, end: 1_700_000_600_000 };
const cfg = (extra: Record<string, unknown> = {}) => PrometheusStatsSchema.parse({ url, attempts: 3, ...extra });
const noSleep = { sleep: async () => {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const a = answer(seen.length);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workspaces/ws-1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen = [];
  answer = () => ({ status: 200, body: matrix([]) });
});

describe('the query', () => {
  it('is a form-encoded POST to <url>/api/v1/query with a range selector, the window end and a timeout', async () => {
    const source = new PrometheusTrafficSource(cfg({ timeout: '20s' }), { env: {} });
    await source.samples([svc], window);
    expect(seen).toHaveLength(9 + 3 + 3); // and the three permissive counters after the window's end, and without the service label
    const first = seen[0];
    expect(first.method).toBe('POST');
    expect(first.path).toBe('/workspaces/ws-1/api/v1/query');
    expect(first.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(first.body);
    expect(form.get('query')).toBe(
      'envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener",consul_source_service=~"orders",consul_source_namespace=~"(default)?",consul_source_partition=~"(default)?"}[600s]',
    );
    expect(form.get('time')).toBe('1700000600.000');
    expect(form.get('timeout')).toBe('20s');
  });

  it('escapes service names as regex and as PromQL strings', async () => {
    const source = new PrometheusTrafficSource(cfg(), { env: {} });
    await source.samples([{ name: 'a.b"c', namespace: 'team-1', partition: 'default' }], window);
    expect(new URLSearchParams(seen[0].body).get('query')).toContain('consul_source_service=~"a\\\\.b\\"c",consul_source_namespace=~"team-1"');
  });

  it('uses configured metric and label names (relabelled deployments)', async () => {
    const source = new PrometheusTrafficSource(
      cfg({ metrics: { permissiveConnections: 'mesh_plain_cx{chain="permissive"}' }, labels: { service: 'svc', namespace: 'ns', partition: 'ap' } }),
      { env: {} },
    );
    await source.samples([svc], window);
    expect(new URLSearchParams(seen[0].body).get('query')).toBe('mesh_plain_cx{chain="permissive",svc=~"orders",ns=~"(default)?",ap=~"(default)?"}[600s]');
  });
});

describe('failures are problems, never silence', () => {
  it("retries a 503 timeout up to the bound, then reports Prometheus's message", async () => {
    answer = () => ({ status: 503, body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' } });
    const source = new PrometheusTrafficSource(cfg({ attempts: 2 }), { env: {}, ...noSleep });
    const [orders] = await source.samples([svc], window);
    expect(seen).toHaveLength(2 * 15);
    expect(orders.problems).toHaveLength(15);
    expect(orders.problems[0]).toBe('prometheus query for permissiveConnections failed: HTTP 503 timeout: query timed out in expression evaluation');
  });

  it('recovers when a retry succeeds', async () => {
    answer = (n) => (n === 1 ? { status: 502, body: '<html>bad gateway</html>' } : { status: 200, body: matrix([]) });
    const source = new PrometheusTrafficSource(cfg(), { env: {}, ...noSleep });
    const [orders] = await source.samples([svc], window);
    expect(orders.problems).toEqual([]);
    expect(seen).toHaveLength(16);
  });

  it("surfaces the envelope's warnings", async () => {
    answer = () => ({ status: 200, body: matrix([], ['remote read of store-2 failed: partial data']) });
    const source = new PrometheusTrafficSource(cfg(), { env: {} });
    const [orders] = await source.samples([svc], window);
    expect(orders.problems[0]).toBe('prometheus warning for permissiveConnections: remote read of store-2 failed: partial data');
  });

  it('refuses a non-matrix answer', async () => {
    answer = () => ({ status: 200, body: { status: 'success', data: { resultType: 'vector', result: [] } } });
    const source = new PrometheusTrafficSource(cfg(), { env: {} });
    const [orders] = await source.samples([svc], window);
    expect(orders.problems[0]).toMatch(/expected a matrix \(raw samples\), got vector/);
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const values = Array.from({ length: 2000 }, (_, i) => [1_700_000_000 + i, '1']);
    answer = () => ({ status: 200, body: matrix([{ metric: { consul_source_service: 'orders', pod: 'p' }, values }]) });
    const source = new PrometheusTrafficSource(cfg({ maxResponseBytes: 4096 }), { env: {} });
    const [orders] = await source.samples([svc], window);
    expect(orders.problems[0]).toMatch(/answer over 4096 bytes/);
    expect(orders.instances).toEqual([]);
  });

  it('reports two series for one instance instead of joining them into fake restarts', async () => {
    const s = (job: string, v: string) => ({ metric: { consul_source_service: 'orders', pod: 'orders-a', job }, values: [[1_700_000_100, v]] });
    answer = (n) => (n === 1 ? { status: 200, body: matrix([s('a', '5'), s('b', '0')]) } : { status: 200, body: matrix([]) });
    const source = new PrometheusTrafficSource(cfg(), { env: {} });
    const [orders] = await source.samples([svc], window);
    expect(orders.problems).toEqual(['orders-a: 2 series for permissiveConnections; make the selector or instance labels unique']);
    expect(orders.instances[0].metrics.permissiveConnections).toBeUndefined();
  });
});

describe('authentication from the environment', () => {
  it('sends a bearer token and never lets it into problems or sources', async () => {
    answer = (n) =>
      n === 1 ? { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'echo: Bearer s3cret-token-value' } } : { status: 200, body: matrix([]) };
    const source = new PrometheusTrafficSource(cfg(), { env: { PROMETHEUS_BEARER_TOKEN: 's3cret-token-value' } });
    const [orders] = await source.samples([svc], window);
    expect(seen[0].headers.authorization).toBe('Bearer s3cret-token-value');
    expect(orders.problems[0]).toContain('[redacted]');
    expect(JSON.stringify(orders)).not.toContain('s3cret-token-value');
  });

  it('reads the bearer token from a file named by an environment variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prom-token-'));
    try {
      await writeFile(join(dir, 'token'), 'file-token-123\n');
      const source = new PrometheusTrafficSource(cfg({ auth: { bearerTokenFileEnv: 'MY_TOKEN_FILE' } }), { env: { MY_TOKEN_FILE: join(dir, 'token') } });
      await source.samples([svc], window);
      expect(seen[0].headers.authorization).toBe('Bearer file-token-123');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends basic auth from PROMETHEUS_USERNAME / PROMETHEUS_PASSWORD', async () => {
    const source = new PrometheusTrafficSource(cfg(), { env: { PROMETHEUS_USERNAME: 'reader', PROMETHEUS_PASSWORD: 'pa55word' } });
    await source.samples([svc], window);
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('reader:pa55word').toString('base64')}`);
  });

  it('keeps credentials in the URL out of the description', () => {
    const source = new PrometheusTrafficSource(cfg({ url: url.replace('http://', 'http://user:hunter22@') }), { env: {} });
    expect(source.description).toBe(`prometheus ${url}`);
  });

  it("signs with SigV4 for Amazon Managed Service for Prometheus, a signature AWS's signer reproduces", async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-tok' };
    const source = new PrometheusTrafficSource(cfg({ auth: { sigv4: { region: 'eu-west-1' } } }), { env: {}, awsCredentials: async () => credentials });
    await source.samples([svc], window);
    const req = seen[0];
    const auth = String(req.headers.authorization);
    const date = String(req.headers['x-amz-date']);
    expect(auth).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${date.slice(0, 8)}/eu-west-1/aps/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`),
    );
    expect(auth).toContain('content-type;host;');
    expect(req.headers['x-amz-security-token']).toBe('session-tok');

    // Verify: sign the request as received, at the same instant, with AWS's signer.
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1].split(';');
    const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(req.headers[h])]));
    const host = String(req.headers.host);
    const verifier = new SignatureV4({ service: 'aps', region: 'eu-west-1', sha256: NodeSha256, credentials });
    const again = await verifier.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: host.split(':')[0],
        port: Number(host.split(':')[1]),
        path: req.path,
        query: {},
        headers,
        body: req.body,
      },
      {
        signingDate: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`),
      },
    );
    expect(again.headers.authorization).toBe(auth);
    // The body is bound through the signed payload hash (when sent) and otherwise hashed directly.
    const payloadHash = req.headers['x-amz-content-sha256'];
    if (payloadHash !== undefined) expect(payloadHash).toBe(createHash('sha256').update(req.body).digest('hex'));
    // A request for another path does not verify.
    const tampered = await verifier.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: host.split(':')[0],
        port: Number(host.split(':')[1]),
        path: '/api/v1/admin/tsdb/delete_series',
        query: {},
        headers,
        body: req.body,
      },
      {
        signingDate: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`),
      },
    );
    expect(tampered.headers.authorization).not.toBe(auth);
  });

  it("SigV4 takes static keys from the target's environment", async () => {
    const source = new PrometheusTrafficSource(cfg({ auth: { sigv4: {} } }), {
      env: { AWS_REGION: 'us-east-2', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret-key-0000' },
    });
    const [orders] = await source.samples([svc], window);
    expect(String(seen[0].headers.authorization)).toMatch(/Credential=AKIDENV\/\d{8}\/us-east-2\/aps\/aws4_request/);
    expect(JSON.stringify(orders)).not.toContain('env-secret-key-0000');
  });
});
