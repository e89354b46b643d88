// Holds every test to the standard "tests never touch the network beyond 127.0.0.1": a vitest setup
// file (vitest.config.ts) that watches each TCP connect made in the test process. A connect to any
// host but loopback (127.0.0.0/8, ::1, localhost) or to a Unix socket is refused at once, as a closed
// port would be, so nothing leaves the machine; and since the code under test may swallow that error
// (serve's start-up check, retries), the test that caused it fails in afterEach, naming host and port.
// Processes a test spawns (the built CLI, git, Prometheus) are not watched: see the report of stop 18.
import { isIP, Socket } from 'node:net';
import { afterAll, afterEach } from 'vitest';

const outside: string[] = [];

/** Loopback or this machine: what a test may connect to. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.') || h === '0.0.0.0';
  if (isIP(h) === 6) return h === '::1' || h === '::' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Host, port and Unix path of a connect call, whichever way it was called (net.connect passes its normalized array). */
function target(args: unknown[]): { host?: string; port?: unknown; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: unknown; path?: string };
    return { host: o.host ?? 'localhost', port: o.port, ...(o.path ? { path: o.path } : {}) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

type Connect = (this: Socket, ...args: unknown[]) => Socket;
// Node's own connect, called with the socket as `this`; its overloads are passed through unchanged.
// Kept on the prototype under a symbol: test/unit's files share one thread (vitest.config.ts), where
// this file runs again for each of them, and each run must wrap Node's connect, not the last wrapper.
const NODE_CONNECT = Symbol.for('consul-gitops.test.node-connect');
const proto = Socket.prototype as Socket & { [NODE_CONNECT]?: Connect };
// eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the socket as `this`
const realConnect: Connect = (proto[NODE_CONNECT] ??= Socket.prototype.connect as Connect);
Socket.prototype.connect = function guardedConnect(this: Socket, ...args: unknown[]): Socket {
  const t = target(args);
  if (t.path !== undefined || isLoopback(t.host ?? 'localhost')) return realConnect.apply(this, args);
  const where = `${t.host}:${String(t.port)}`;
  outside.push(where);
  const refused = Object.assign(new Error(`connect ECONNREFUSED ${where} (test/support/loopback-only.ts: tests connect to loopback only)`), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
  });
  process.nextTick(() => this.destroy(refused));
  return this;
};

function failIfOutside(): void {
  if (outside.length === 0) return;
  const seen = [...new Set(outside.splice(0))];
  throw new Error(`this test tried to connect outside loopback: ${seen.join(', ')} (point it at a double on 127.0.0.1, or a refused loopback port)`);
}

afterEach(failIfOutside);
// A connect from beforeAll, or one still in flight when the last test ended.
afterAll(failIfOutside);
