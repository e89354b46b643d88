// A loopback stand-in for the Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations), for
// tests that drive a real @aws-sdk/client-lambda. It records every invocation; any other request is
// answered 404 and recorded in `unexpected` so a test can fail on it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answering } from './async-handler.ts';

export interface RecordedInvocation {
  functionName: string;
  invocationType: string;
  /** The payload parsed as JSON (undefined when empty). */
  payload: unknown;
}

export interface LambdaFailure {
  status: number;
  /** Sent as `x-amzn-errortype`, which the SDK turns into the error's name. */
  errorType: string;
  message: string;
}

export interface LambdaDouble {
  /** `http://127.0.0.1:PORT`, for `new LambdaClient({ endpoint })`. */
  endpoint: string;
  invocations: RecordedInvocation[];
  unexpected: string[];
  /** When set, invocations are answered with this error instead (and still recorded). */
  failWith: LambdaFailure | undefined;
  /**
   * Runs the invoked function, as Lambda would: after answering for `Event` invocations. Its
   * promises collect in `runs`, so an end-to-end test can wait for the asynchronous work.
   */
  onInvoke: ((invocation: RecordedInvocation) => Promise<unknown>) | undefined;
  runs: Promise<unknown>[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaDouble(): Promise<LambdaDouble> {
  const double: LambdaDouble = {
    endpoint: '',
    invocations: [],
    unexpected: [],
    failWith: undefined,
    onInvoke: undefined,
    runs: [],
    close: () => close(server),
  };
  const server = createServer(
    answering(async (req, res) => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = req.method === 'POST' ? INVOKE_PATH.exec(url.pathname) : null;
      if (!match) {
        double.unexpected.push(`${req.method} ${req.url}`);
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
        res.end(JSON.stringify({ message: 'unknown operation' }));
        return;
      }
      const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      const invocation: RecordedInvocation = {
        functionName: decodeURIComponent(match[1]),
        invocationType,
        payload: body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined,
      };
      double.invocations.push(invocation);
      if (double.failWith) {
        const { status, errorType, message } = double.failWith;
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': errorType });
        res.end(JSON.stringify({ Type: 'User', message }));
        return;
      }
      // As Lambda answers: Event → 202 with no body, DryRun → 204, RequestResponse → 200 with the result.
      const status = invocationType === 'Event' ? 202 : invocationType === 'DryRun' ? 204 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end(status === 200 ? 'null' : '');
      if (double.onInvoke) double.runs.push(double.onInvoke(invocation));
    }),
  );
  // Idle connections stay open until close(): Node's default closes them after 5 s, and a test
  // client with maxAttempts 1 (so a refused invoke is not retried) that reuses one in the moment it
  // closes fails with ECONNRESET or "socket hang up". Under load a test that takes seconds (the 25 MB
  // body) made the next invoke fail that way: the webhook answered 503 where 202 was right.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return double;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
