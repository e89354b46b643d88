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
 * One exchange's handler, in the callbacks undici's own dispatchers call (onConnect, onHeaders, …):
 * a handler of the newer onRequestStart/onResponse* kind is wrapped per request in two more objects
 * and has the headers and trailers parsed whether read or not. An abort works as `request()`'s: once
 * the request has a connection, at once; before that, when it gets one (undici gives a request its
 * abort function then), the signal's reason as the error.
 */
class Exchange {
  readonly #resolve: (r: AttemptResponse) => void;
  readonly #reject: (e: unknown) => void;
  readonly #signal: AttemptOptions['signal'];
  #abort: ((reason?: Error) => void) | undefined;
  #statusCode = 0;
  #rawHeaders: (Buffer | string)[] = [];
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
    this.#abort?.(this.#signal.reason as Error);
  };

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#signal.aborted) return abort(this.#signal.reason as Error);
    this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: (Buffer | string)[]): boolean {
    // An informational answer (1xx) is not the answer: request() waits for the final one too.
    if (statusCode < 200) return true;
    this.#statusCode = statusCode;
    this.#rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.#settle()) return;
    const text = decode(this.#chunks, this.#length);
    this.#resolve(new Answer(this.#statusCode, this.#rawHeaders, text));
  }

  onError(error: Error): void {
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

/** The answer; its headers parsed on first read. */
class Answer implements AttemptResponse {
  readonly statusCode: number;
  readonly body: { text(): Promise<string> };
  #raw: (Buffer | string)[];
  #headers: AttemptResponse['headers'] | undefined;

  constructor(statusCode: number, raw: (Buffer | string)[], text: string) {
    this.statusCode = statusCode;
    this.#raw = raw;
    this.body = { text: () => Promise.resolve(text) };
  }

  get headers(): AttemptResponse['headers'] {
    if (!this.#headers) {
      this.#headers = parseHeaders(this.#raw);
      this.#raw = [];
    }
    return this.#headers;
  }
}

/**
 * The raw header list (name, value, name, value…) as undici's parseHeaders makes it for request():
 * names lower-cased, values as latin1, a name sent more than once as the list of its values, every
 * name an own property (`__proto__` and `constructor` too).
 */
export function parseHeaders(raw: readonly (Buffer | string)[]): AttemptResponse['headers'] {
  const out: AttemptResponse['headers'] = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = latin1(raw[i]).toLowerCase();
    const value = latin1(raw[i + 1]);
    if (!Object.hasOwn(out, key)) {
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    } else {
      const had = out[key];
      if (Array.isArray(had)) had.push(value);
      else out[key] = [had as string, value];
    }
  }
  return out;
}

function latin1(b: Buffer | string): string {
  return typeof b === 'string' ? b : b.toString('latin1');
}
