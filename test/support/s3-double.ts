// A loopback S3 double for the plan archive: path-style PutObject and GetObject (`/<bucket>/<key>`)
// that checks every request's SigV4 signature by signing it again with the one known key pair, as S3
// would, and answers 403 SignatureDoesNotMatch when it differs. 404 NoSuchKey for a missing object
// (what S3 answers when the caller may list the bucket). Records what it was asked.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/adapters/stats/prometheus-auth.ts';

export const S3_KEYS = { accessKeyId: 'AKIAPLANSDOUBLE00001', secretAccessKey: 'plans-double-secret-access-key-000000000' };

export interface S3Double {
  url: string;
  objects: Map<string, { body: string; contentType: string | undefined }>;
  seen: string[];
  /** Answer the next `count` requests with HTTP `status`. */
  fail(count: number, status: number): void;
  close(): Promise<void>;
}

export async function startS3Double(options: { bucket: string; region: string }): Promise<S3Double> {
  const objects: S3Double['objects'] = new Map();
  const seen: string[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  const signer = new SignatureV4({
    service: 's3',
    region: options.region,
    sha256: NodeSha256,
    credentials: async () => S3_KEYS,
    uriEscapePath: false,
    applyChecksum: true,
  });

  async function signatureMatches(req: IncomingMessage, body: string): Promise<boolean> {
    const auth = req.headers.authorization ?? '';
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
    const amzDate = req.headers['x-amz-date'];
    if (!signedHeaders.length || typeof amzDate !== 'string') return false;
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) headers[h] = String(req.headers[h] ?? '');
    const when = new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const again = await signer.sign(
      { method: req.method!, protocol: 'http:', hostname: '127.0.0.1', path: req.url!.split('?')[0], query: {}, headers, ...(body ? { body } : {}) },
      { signingDate: when },
    );
    return again.headers.authorization === auth;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push(`${req.method} ${req.url}`);
        const xml = (status: number, code: string) => res.writeHead(status, { 'content-type': 'application/xml' }).end(`<Error><Code>${code}</Code></Error>`);
        if (failures.count > 0) {
          failures = { ...failures, count: failures.count - 1 };
          return xml(failures.status, 'InternalError');
        }
        if (!(await signatureMatches(req, body))) return xml(403, 'SignatureDoesNotMatch');
        const prefix = `/${options.bucket}/`;
        if (!req.url?.startsWith(prefix)) return xml(404, 'NoSuchBucket');
        const key = req.url.slice(prefix.length);
        if (req.method === 'PUT') {
          objects.set(key, { body, contentType: req.headers['content-type'] });
          return res.writeHead(200).end();
        }
        if (req.method === 'GET') {
          const o = objects.get(key);
          if (!o) return xml(404, 'NoSuchKey');
          return res.writeHead(200, { 'content-type': o.contentType ?? 'binary/octet-stream' }).end(o.body);
        }
        return xml(405, 'MethodNotAllowed');
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    seen,
    fail: (count, status) => void (failures = { count, status }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
