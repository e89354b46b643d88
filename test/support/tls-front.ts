// An HTTPS front for the (plain-http) dev server on loopback: a throwaway self-signed certificate
// for 127.0.0.1 made with openssl, and every request forwarded unchanged. Stops with close().
import { mkdtempSync, readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from './self-signed-cert.ts';

export interface TlsFront {
  url: string;
  /** PEM file of the certificate, to trust as CONSUL_CACERT / caCert. */
  caFile: string;
  /** PEM file of the certificate's key (with caFile, a client pair the front trusts). */
  keyFile: string;
  close(): Promise<void>;
}

export interface TlsFrontOptions {
  /** Ask for a client certificate signed by the front's own (keyFile + caFile serve as the client's pair). */
  requireClientCert?: boolean;
  /** Called with every request before it is forwarded. */
  onRequest?: (req: IncomingMessage) => void;
}

export async function startTlsFront(upstream: string, options: TlsFrontOptions = {}): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  selfSignedCert(key, cert);
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const clientAuth = options.requireClientCert ? { ca: [readFileSync(cert)], requestCert: true, rejectUnauthorized: true } : {};
  const server = createServer({ cert: readFileSync(cert), key: readFileSync(key), ...clientAuth }, (req, res) => {
    options.onRequest?.(req);
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: cert,
    keyFile: key,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
