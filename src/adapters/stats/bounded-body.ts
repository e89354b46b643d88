// Reads an HTTP response body up to a byte limit, so a huge answer (a [7d] range at 1 s scrape, a
// sidecar serving garbage) can neither exhaust memory nor be silently cut short.
import type { Dispatcher } from 'undici';
import { ConsulGitopsError } from '../../errors.ts';

export class BodyTooLargeError extends ConsulGitopsError {
  constructor(readonly limit: number) {
    super('response-too-large', `response larger than ${limit} bytes`);
  }
}

export async function readBounded(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.byteLength;
    if (size > maxBytes) {
      body.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
