// Adapts an async request handler to node:http's callback, which ignores the promise: a handler that
// throws must still answer (500, or a cut connection once headers went out) rather than leave the
// client waiting for its timeout and the test runner with an unhandled rejection.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function answering(handler: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`test double failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
}
