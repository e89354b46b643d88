// `serve` under abuse, over loopback: bodies are not read before the headers qualify them, bytes held
// across connections stay under the budget (503 + Retry-After past it, everything given back), and
// slow clients are cut off by the header, body-idle and request timeouts. A signed delivery still works.
import { Buffer } from 'node:buffer';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pushOf } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

let h: ServeHarness;
beforeEach(async () => {
  h = await startServeHarness({ startServe: false });
});
afterEach(() => h.close());

const start = (env: Record<string, string> = {}) => h.startServe({ env });

interface Answer {
  status?: number;
  retryAfter?: string;
  /** Set when the connection broke before an answer arrived. */
  error?: string;
}

/**
 * POST `length` bytes of `body` (reused, so thirty clients do not cost the test thirty copies).
 * `gate`: send the headers and one byte, then the rest once it resolves: keeps requests in flight at once.
 */
function post(url: string, headers: Record<string, string>, body: Buffer, gate?: Promise<void>, onAnswer?: () => void): Promise<Answer> {
  const u = new URL(`${url}/webhook`);
  return new Promise((resolve) => {
    let answered = false;
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        answered = true;
        onAnswer?.();
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}) }));
        res.on('error', () => resolve({ status: res.statusCode! }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!answered) resolve({ error: e.code ?? e.message });
    });
    if (gate) {
      req.write(body.subarray(0, 1));
      void gate.then(() => req.end(body.subarray(1)));
    } else req.end(body);
  });
}

const wellFormed = {
  'content-type': 'application/json',
  'x-github-event': 'push',
  'x-github-delivery': 'bogus',
  'x-hub-signature-256': `sha256=${'ab'.repeat(32)}`,
};

describe('serve: bodies', () => {
  it('30 posts of 24 MB without a well-formed signature are refused before a byte of their bodies is held', async () => {
    const s = await start();
    const body = Buffer.alloc(24 * 1024 * 1024, 'x');
    const bad: Record<string, string>[] = [
      { 'content-type': 'application/json', 'x-github-event': 'push' }, // no signature
      { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=deadbeef' }, // too short
      { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': `sha1=${'a'.repeat(40)}` },
      { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'ab'.repeat(32)}` }, // no event
    ];
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(s.url, bad[i % bad.length], body)));
    // Each is answered at once (or, for a client still pushing bytes, its connection is closed).
    for (const [i, a] of answers.entries()) {
      if (a.status === undefined) expect(a.error).toMatch(/^(EPIPE|ECONNRESET)$/);
      else expect(a.status).toBe(i % bad.length === 3 ? 400 : 401);
    }
    expect(answers.filter((a) => a.status !== undefined).length).toBeGreaterThan(0);
    expect(s.bodies()).toMatchObject({ peakClaimedBytes: 0, peakBufferedBytes: 0, bufferedBytes: 0 });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('bytes held across connections stay under MAX_BUFFERED_BYTES: past it 503 + Retry-After, and all of it is given back', async () => {
    const s = await start({ MAX_BUFFERED_BYTES: String(8 * 1024 * 1024) });
    const body = Buffer.alloc(3 * 1024 * 1024, 'x');
    // Ten 3 MB posts in flight at once (well-formed but wrong signatures): two fit in 8 MB. Their
    // bodies are held back until the eight others have been answered.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let answered = 0;
    const pending = Array.from({ length: 10 }, () => post(s.url, wellFormed, body, gate, () => answered++));
    await vi.waitFor(() => expect(answered).toBe(8), { timeout: 5_000 });
    expect(s.bodies().claimedBytes).toBe(2 * body.length);
    release();
    const answers = await Promise.all(pending);
    const statuses = answers.map((a) => a.status ?? a.error).sort();
    expect(statuses).toEqual([401, 401, 503, 503, 503, 503, 503, 503, 503, 503]);
    expect(answers.filter((a) => a.status === 503).every((a) => a.retryAfter === '5')).toBe(true);
    const stats = s.bodies();
    expect(stats.peakClaimedBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(stats.peakBufferedBytes).toBeGreaterThan(3 * 1024 * 1024); // two bodies were really held
    expect(stats).toMatchObject({ claimedBytes: 0, bufferedBytes: 0 });

    // The budget is free again: a signed delivery is accepted and runs.
    const sha = h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'onboard api', {
      branch: 'master',
    });
    expect(await h.deliver('push', pushOf(sha))).toBe(202);
    expect((await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).status).toBe(200);
  });
});

/** A POST with `Expect: 100-continue` (as curl sends past 1 MB): did the server say Continue, and what did it answer? */
function postExpecting(url: string, headers: Record<string, string>, body: Buffer): Promise<{ continued: boolean; status?: number }> {
  const u = new URL(`${url}/webhook`);
  return new Promise((resolve) => {
    let continued = false;
    const req = httpRequest({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: { ...headers, expect: '100-continue', 'content-length': String(body.length) },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ continued, status: res.statusCode! }));
    });
    req.on('error', () => resolve({ continued }));
    req.flushHeaders();
  });
}

describe('serve: Expect: 100-continue', () => {
  it('Continue only for a request whose headers qualify and whose body fits the budget', async () => {
    const s = await start({ MAX_BUFFERED_BYTES: String(1024 * 1024) });
    const body = Buffer.alloc(512 * 1024, 'x');
    expect(await postExpecting(s.url, { 'x-github-event': 'push' }, body)).toEqual({ continued: false, status: 401 });
    expect(await postExpecting(s.url, wellFormed, Buffer.alloc(2 * 1024 * 1024, 'x'))).toEqual({ continued: false, status: 503 });
    // Well formed: the body is sent, and the signature (wrong) is checked over it.
    expect(await postExpecting(s.url, wellFormed, body)).toEqual({ continued: true, status: 401 });
    expect(s.bodies().peakBufferedBytes).toBe(body.length);
  });
});

/** Resolves when the server closes the socket: what it answered, and after how long. */
function whenClosed(socket: import('node:net').Socket, started: number): Promise<{ ms: number; answer: string }> {
  let answer = '';
  socket.on('data', (c: Buffer) => (answer += c.toString()));
  return new Promise((resolve) => socket.on('close', () => resolve({ ms: Date.now() - started, answer: answer.split('\r\n')[0] })));
}

function trickle(socket: import('node:net').Socket, everyMs: number): () => void {
  const timer = setInterval(() => socket.writable && socket.write('x'), everyMs);
  return () => clearInterval(timer);
}

describe('serve: slow clients', () => {
  const fast = { HEADERS_TIMEOUT: '400ms', REQUEST_TIMEOUT: '2s', BODY_IDLE_TIMEOUT: '300ms' };

  it('headers sent a byte at a time are cut off after HEADERS_TIMEOUT', async () => {
    const s = await start(fast);
    const url = new URL(s.url);
    const socket = connect(Number(url.port), url.hostname);
    const started = Date.now();
    const closed = whenClosed(socket, started);
    socket.write('POST /webhook HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const stop = trickle(socket, 50);
    const { ms, answer } = await closed;
    stop();
    expect(answer).toBe('HTTP/1.1 408 Request Timeout');
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(5_000); // Node's default would hold it for a minute
  });

  it('a body that trickles in is cut off after REQUEST_TIMEOUT, one that stalls after BODY_IDLE_TIMEOUT; budget given back', async () => {
    const s = await start(fast);
    const url = new URL(s.url);
    const head = `POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: ${wellFormed['x-hub-signature-256']}\r\nContent-Length: 100000\r\n\r\n{`;

    const trickling = connect(Number(url.port), url.hostname);
    const t0 = Date.now();
    const trickleClosed = whenClosed(trickling, t0);
    trickling.write(head);
    const stop = trickle(trickling, 100); // never idle for BODY_IDLE_TIMEOUT, never done
    const stalled = connect(Number(url.port), url.hostname);
    const stallClosed = whenClosed(stalled, Date.now());
    stalled.write(head);

    const stall = await stallClosed;
    expect(stall.answer).toBe('HTTP/1.1 408 Request Timeout');
    expect(stall.ms).toBeLessThan(1_800); // the idle timeout, well before the request timeout
    const slow = await trickleClosed;
    stop();
    expect(slow.ms).toBeGreaterThanOrEqual(1_900);
    expect(slow.ms).toBeLessThan(6_000);
    // The server sees the close as the client does, or a moment later.
    await vi.waitFor(() => expect(s.bodies()).toMatchObject({ claimedBytes: 0, bufferedBytes: 0 }), { timeout: 1_000 });
    expect(s.bodies().peakClaimedBytes).toBeGreaterThanOrEqual(200_000); // both bodies were admitted
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('connections past MAX_CONNECTIONS are closed as they arrive', async () => {
    const s = await start({ MAX_CONNECTIONS: '2' });
    const url = new URL(s.url);
    const open = async () => {
      const socket = connect(Number(url.port), url.hostname);
      await new Promise((r) => socket.once('connect', r));
      return socket;
    };
    const held = [await open(), await open()];
    const third = await open();
    const closed = await new Promise<boolean>((resolve) => {
      third.once('close', () => resolve(true));
      third.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      setTimeout(() => resolve(false), 2_000);
    });
    expect(closed).toBe(true);
    for (const h of held) h.destroy();
    await vi.waitFor(async () => expect((await fetch(`${s.url}/healthz`)).status).toBe(200));
  });

  it('refuses timeouts that cannot work', async () => {
    await expect(start({ HEADERS_TIMEOUT: '2m', REQUEST_TIMEOUT: '1m' })).rejects.toThrow(/HEADERS_TIMEOUT: must not be longer than REQUEST_TIMEOUT/);
    await expect(start({ REQUEST_TIMEOUT: '0' })).rejects.toThrow(/REQUEST_TIMEOUT/);
    await expect(start({ MAX_BUFFERED_BYTES: 'lots' })).rejects.toThrow(/MAX_BUFFERED_BYTES/);
  });
});
