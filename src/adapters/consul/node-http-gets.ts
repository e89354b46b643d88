// Consul's GET requests on node:http and node:https instead of undici. A `plan` sends nothing else
// (the version, one list per kind, the last-apply record), and loading undici's client cost about
// 75 ms of CPU at the start of every such command, where node:http and node:https together cost
// about 15 ms (bench/scale.bench.ts, `plan`); undici is loaded on the first write (client.ts).
// What the transport (transport.ts) sees is what undici's Agent gives it: the same TLS options
// (options.ts tlsConnectOptions: CA files, client certificate and key, server name, verification),
// connections kept alive and reused, the response's headers with lower-case names (a repeated
// header as an array), its body decoded as undici decodes it, the same error codes for a refused
// or broken connection and for the backstop timeouts. Timeouts, retries, the token and the
// classification of failures stay in the transport, shared by both.
import type { EventEmitter } from 'node:events';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ConsulGitopsError } from '../../errors.ts';
import type { TlsConnectOptions } from './options.ts';

/** What the transport passes for one request (undici's Dispatcher.RequestOptions, the part it uses). */
export interface GetOptions {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  /** Aborts the request (transport.ts AttemptSignal: an EventEmitter with `aborted`). */
  signal?: Pick<EventEmitter, 'once' | 'removeListener'> & { aborted?: boolean };
  /** Backstops, as undici's: from the request to the response's headers, and between body chunks. */
  headersTimeout?: number;
  bodyTimeout?: number;
}

/** The response as undici's `request()` gives it (statusCode, headers, a body read once as text). */
export interface GetResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: { text(): Promise<string> };
}

/** An error with the code undici (or the socket) gives the same failure, so errors.ts classifies it alike. */
function codedError(code: string, message: string): ConsulGitopsError & { code: string } {
  const e = new ConsulGitopsError('consul', message) as ConsulGitopsError & { code: string };
  Object.defineProperty(e, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  return e;
}

export class NodeHttpGets {
  readonly #agent: HttpAgent;
  readonly #send: typeof httpRequest;
  /** host and port by origin: parsed once, not per request. */
  readonly #targets = new Map<string, { host: string; port: string }>();

  /** `tls`: for an https address, what undici's Agent was given as `connect`. */
  constructor(https: boolean, tls?: TlsConnectOptions) {
    // Connections are kept and reused, as undici's Agent keeps them; node unrefs an idle one, so it
    // never holds the process open.
    this.#agent = https ? new HttpsAgent({ keepAlive: true, ...tls }) : new HttpAgent({ keepAlive: true });
    this.#send = https ? httpsRequest : httpRequest;
  }

  request(o: GetOptions): Promise<GetResponse> {
    return new Promise<GetResponse>((resolve, reject) => {
      const signal = o.signal;
      if (signal?.aborted) return reject(codedError('UND_ERR_ABORTED', 'Request aborted'));
      let target = this.#targets.get(o.origin);
      if (!target) {
        const url = new URL(o.origin);
        // An IPv6 literal is bracketed in a URL, not in a host name.
        target = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port };
        this.#targets.set(o.origin, target);
      }
      let settled = false;
      let headersIn = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        signal?.removeListener('abort', onAbort);
        req.destroy();
        reject(e);
      };
      const onAbort = (): void => fail(codedError('UND_ERR_ABORTED', 'Request aborted'));
      const req: ClientRequest = this.#send(
        { host: target.host, ...(target.port ? { port: target.port } : {}), path: o.path, method: o.method, headers: o.headers, agent: this.#agent },
        (res: IncomingMessage) => {
          headersIn = true;
          if (o.bodyTimeout) req.setTimeout(o.bodyTimeout);
          const chunks: Buffer[] = [];
          let length = 0;
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            length += c.length;
          });
          res.on('error', fail);
          // A connection closed before the body's end (node's IncomingMessage says `aborted`).
          res.on('close', () => {
            if (!res.complete) fail(codedError('UND_ERR_SOCKET', 'other side closed'));
          });
          res.on('end', () => {
            if (settled) return;
            settled = true;
            signal?.removeListener('abort', onAbort);
            const text = decode(chunks, length);
            resolve({ statusCode: res.statusCode ?? 0, headers: headersOf(res), body: { text: () => Promise.resolve(text) } });
          });
        },
      );
      signal?.once('abort', onAbort);
      if (o.headersTimeout) req.setTimeout(o.headersTimeout);
      req.on('timeout', () =>
        fail(headersIn ? codedError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error') : codedError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error')),
      );
      req.on('error', fail);
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** As undici's body.text(): the bytes as UTF-8 (an invalid sequence as U+FFFD), a leading byte order mark skipped. */
export function decode(chunks: Buffer[], length: number): string {
  if (chunks.length === 0 || length === 0) return '';
  const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}

/** As undici gives them: lower-case names, a header sent once as its value, one sent more than once as the list of its values. */
function headersOf(res: IncomingMessage): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  const distinct = res.headersDistinct;
  for (const name in distinct) {
    const values = distinct[name];
    if (values) out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}
