// Consul's writes (and, for a client given a dispatcher, every request) on undici's `dispatch()` with
// a handler of our own, in place of undici's `request()`: the same request on the same connections,
// the same answer (undici's own header parsing; the body decoded as its body.text() decodes it), the
// same errors, the same aborts. `request()` makes for every request an AsyncResource, a Readable
// stream for the body and the listeners to read it back as text: a third of the client's CPU per
// write (bench/support/write-client-cpu.ts, `undici Agent.request` against `Agent.dispatch`).
import type { Dispatcher } from 'undici';
import { decode } from './node-http-gets.ts';
import type { AttemptOptions, AttemptResponse } from './transport.ts';

/** What the handler needs of a dispatcher: an undici Agent, or one composed from it (tests). */
export type WriteDispatcher = Pick<Dispatcher, 'dispatch'>;

/** One request through `dispatcher.dispatch()`, answered as undici's `request()` answers it. */
export function dispatchRequest(dispatcher: WriteDispatcher, o: AttemptOptions): Promise<AttemptResponse> {
  return new Promise<AttemptResponse>((resolve, reject) => {
    const handler = new Exchange(resolve, reject, o.signal);
    dispatcher.dispatch(
      { origin: o.origin, path: o.path, method: o.method, headers: o.headers, body: o.body, headersTimeout: o.headersTimeout, bodyTimeout: o.bodyTimeout },
      handler,
    );
  });
}

/**
 * One exchange's handler. An abort works as `request()`'s: once the request has a connection, at
 * once; before that, when it gets one (undici gives a request its abort function then), the
 * signal's reason as the error.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #resolve: (r: AttemptResponse) => void;
  readonly #reject: (e: unknown) => void;
  readonly #signal: AttemptOptions['signal'];
  #controller: Dispatcher.DispatchController | undefined;
  #statusCode = 0;
  #headers: AttemptResponse['headers'] = {};
  #chunks: Buffer[] = [];
  #length = 0;
  #settled = false;

  constructor(resolve: (r: AttemptResponse) => void, reject: (e: unknown) => void, signal: AttemptOptions['signal']) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = signal;
    signal.once('abort', this.#onAbort);
  }

  readonly #onAbort = (): void => {
    this.#controller?.abort(this.#signal.reason as Error);
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#signal.aborted) controller.abort(this.#signal.reason as Error);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // An informational answer (1xx) is not the answer: request() waits for the final one too.
    if (statusCode < 200) return;
    this.#statusCode = statusCode;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  onResponseEnd(): void {
    if (this.#settle()) return;
    const text = decode(this.#chunks, this.#length);
    this.#resolve({ statusCode: this.#statusCode, headers: this.#headers, body: { text: () => Promise.resolve(text) } });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#settle()) return;
    this.#reject(error);
  }

  /** True when already settled; else settles now and stops listening for the abort. */
  #settle(): boolean {
    if (this.#settled) return true;
    this.#settled = true;
    this.#signal.removeListener('abort', this.#onAbort);
    return false;
  }
}
