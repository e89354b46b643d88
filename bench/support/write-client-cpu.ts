// The apply client's CPU per config-entry PUT, by what sends it, side by side in one process: the
// built ConsulClient.putEntry (today's, and with BENCH_BASE_REF=<commit> that commit's), the same
// client over a dispatcher that answers at once (no HTTP: what the client adds on top of any
// transport), and bare senders with nothing of ours: undici's Agent.request (the client's writes
// until now), a Pool with pipelining, Agent.dispatch with a minimal handler, and node:http with a
// keep-alive Agent (what the client's reads use). Each sends the same 10,000 PUTs, 32 in flight, to a
// bare node:http server on 127.0.0.1 in its own process (bench/support/bare-server.ts, 2 ms latency),
// and the variants take turns round by round (the first round warms up and is not counted): CPU is
// process.cpuUsage (user + system), the median of the rounds, printed per PUT and as a ratio to bare
// node:http. Then what one request's parts cost alone (timers, abort signals, headers, the body).
// Run: node --import tsx bench/support/write-client-cpu.ts (BENCH_WRITES, default 10000;
// BENCH_ROUNDS, default 5 with the first unmeasured; BENCH_BASE_REF=98ded36 adds main's client).
import { EventEmitter } from 'node:events';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { Agent, Pool, type Dispatcher } from 'undici';
import { startBareServer } from './bare-server.ts';
import { buildCliForBench } from './built-cli.ts';
import { buildEntryAt } from './built-entry-at.ts';

type ApplyClient = typeof import('./apply-client.ts');

const N = Number(process.env.BENCH_WRITES ?? 10_000);
const ROUNDS = Math.max(2, Number(process.env.BENCH_ROUNDS ?? 5));
const IN_FLIGHT = 32;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 2);
const BASE_REF = process.env.BENCH_BASE_REF;

const entries = Array.from({ length: N }, (_, i) => ({
  Kind: 'service-defaults',
  Name: `svc-${i}`,
  Protocol: 'http',
  MutualTLSMode: 'strict',
  Meta: { 'managed-by': 'consul-gitops', team: `team-${i % 17}` },
}));

/** Runs `send(i)` for every entry, IN_FLIGHT at a time: this process's CPU ms meanwhile, and its system (kernel) part. */
async function cpuOf(send: (i: number) => Promise<void>): Promise<{ ms: number; systemMs: number }> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < N) await send(next++);
    }),
  );
  const d = process.cpuUsage(before);
  return { ms: (d.user + d.system) / 1000, systemMs: d.system / 1000 };
}

function expectTrue(text: string, status: number): void {
  if (text !== 'true') throw new Error(`answered ${status} ${text}`);
}

const built = await buildCliForBench({ 'apply-client': resolve('bench/support/apply-client.ts') });
process.on('exit', () => built.remove());
const baseBuild = BASE_REF ? await buildEntryAt(BASE_REF, 'bench/support/apply-client.ts') : undefined;
process.on('exit', () => baseBuild?.remove());
const now = (await import(built.extra['apply-client'])) as ApplyClient;
const before = baseBuild ? ((await import(baseBuild.entry)) as ApplyClient) : undefined;

const server = await startBareServer(LATENCY_MS);
const url = new URL(server.url);
const origin = url.origin;

/** A dispatcher that answers every request at once with Consul's `true`: the client with no HTTP under it. */
const TRUE = Buffer.from('true');
const instant = {
  // undici's own callbacks, as its dispatchers call them (the client's handler takes these).
  dispatch(_options: unknown, handler: Dispatcher.DispatchHandler): boolean {
    handler.onConnect?.(() => {});
    handler.onHeaders?.(200, [Buffer.from('Content-Type'), Buffer.from('application/json')], () => {}, 'OK');
    handler.onData?.(TRUE);
    handler.onComplete?.([]);
    return true;
  },
  close: () => Promise.resolve(),
};

interface Variant {
  name: string;
  /** Made before each round (connections opened inside the round, as an apply opens them). */
  open(): { send(i: number): Promise<void>; close(): Promise<void> | void };
}

const clientVariant = (name: string, lib: ApplyClient, deps: Record<string, unknown> = {}): Variant => ({
  name,
  open() {
    const client = new lib.ConsulClient({ address: server.url, timeoutMs: 120_000 }, deps);
    return {
      send: async (i) => {
        if (!(await client.putEntry(entries[i]))) throw new Error('putEntry answered false');
      },
      close: () => client.close(),
    };
  },
});

const undiciRequest = (name: string, make: () => Agent | Pool): Variant => ({
  name,
  open() {
    const d = make();
    return {
      send: async (i) => {
        const res = await d.request({
          origin,
          path: '/v1/config',
          method: 'PUT',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify(entries[i]),
        });
        expectTrue(await res.body.text(), res.statusCode);
      },
      close: () => d.close(),
    };
  },
});

/**
 * Agent.dispatch with a minimal handler that collects the body and checks Consul's `true`: `new`
 * with undici's onResponse* callbacks, `legacy` with the on* ones it still accepts.
 */
function dispatchVariant(api: 'new' | 'legacy'): Variant {
  return {
    name: `undici Agent.dispatch, minimal handler (${api === 'new' ? 'onResponse*' : 'legacy on*'} API)`,
    open() {
      const agent = new Agent();
      return {
        send: (i) =>
          new Promise<void>((done, fail) => {
            const chunks: Buffer[] = [];
            let status = 0;
            const end = () => {
              try {
                expectTrue(Buffer.concat(chunks).toString('utf8'), status);
                done();
              } catch (e) {
                fail(e instanceof Error ? e : new Error(String(e)));
              }
            };
            const handler: Dispatcher.DispatchHandler =
              api === 'new'
                ? {
                    onRequestStart() {},
                    onResponseStart(_c, s) {
                      status = s;
                    },
                    onResponseData(_c, c) {
                      chunks.push(c);
                    },
                    onResponseEnd: end,
                    onResponseError: (_c, e) => fail(e),
                  }
                : {
                    onConnect() {},
                    onHeaders(s: number) {
                      status = s;
                      return true;
                    },
                    onData(c: Buffer) {
                      chunks.push(c);
                      return true;
                    },
                    onComplete: end,
                    onError: fail,
                  };
            agent.dispatch(
              {
                origin,
                path: '/v1/config',
                method: 'PUT',
                headers: { accept: 'application/json', 'content-type': 'application/json' },
                body: JSON.stringify(entries[i]),
              },
              handler,
            );
          }),
        close: () => agent.close(),
      };
    },
  };
}

const variants: Variant[] = [
  clientVariant('ConsulClient.putEntry (this branch, built)', now),
  ...(before ? [clientVariant(`ConsulClient.putEntry (${BASE_REF}, built)`, before)] : []),
  clientVariant('ConsulClient.putEntry over an instant dispatcher (no HTTP)', now, { dispatcher: instant }),
  undiciRequest('undici Agent.request', () => new Agent()),
  undiciRequest('undici Pool.request, 8 connections × pipelining 4', () => new Pool(origin, { connections: 8, pipelining: 4 })),
  dispatchVariant('new'),
  dispatchVariant('legacy'),
  {
    name: 'node:http, keep-alive Agent (maxSockets 32)',
    open() {
      const agent = new HttpAgent({ keepAlive: true, maxSockets: IN_FLIGHT });
      return {
        send: (i) =>
          new Promise<void>((done, fail) => {
            const body = JSON.stringify(entries[i]);
            const req = httpRequest(
              {
                host: url.hostname,
                port: url.port,
                path: '/v1/config',
                method: 'PUT',
                headers: { accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
                agent,
              },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => {
                  try {
                    expectTrue(Buffer.concat(chunks).toString('utf8'), res.statusCode ?? 0);
                    done();
                  } catch (e) {
                    fail(e instanceof Error ? e : new Error(String(e)));
                  }
                });
              },
            );
            req.on('error', fail);
            req.end(body);
          }),
        close: () => agent.destroy(),
      };
    },
  },
];

const rounds = new Map<string, number[]>(variants.map((v) => [v.name, []]));
const systems = new Map<string, number[]>(variants.map((v) => [v.name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      const open = v.open();
      const { ms, systemMs } = await cpuOf((i) => open.send(i));
      await open.close();
      if (round > 0) rounds.get(v.name)!.push(ms);
      if (round > 0) systems.get(v.name)!.push(systemMs);
    }
  }
} finally {
  server.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const us = (ms: number) => (ms / N) * 1000;
const floorName = 'node:http, keep-alive Agent (maxSockets 32)';
const floor = median(rounds.get(floorName)!);
console.log(
  `client CPU per PUT, ${N} PUTs, ${IN_FLIGHT} in flight, to a bare node:http server (${LATENCY_MS} ms latency); median of ${ROUNDS - 1} alternating rounds`,
);
for (const v of variants) {
  const m = median(rounds.get(v.name)!);
  const sys = us(median(systems.get(v.name)!)).toFixed(1);
  console.log(`  ${v.name.padEnd(62)} ${us(m).toFixed(1).padStart(6)} µs (system ${sys.padStart(5)})  ${(m / floor).toFixed(2)}x node:http`);
}
if (before) {
  const a = median(rounds.get(variants[0].name)!);
  const b = median(rounds.get(variants[1].name)!);
  console.log(`  this branch / ${BASE_REF}: ${(a / b).toFixed(2)}x client CPU per PUT`);
}

// What one attempt's parts cost alone, in a loop (no I/O): CPU ns per operation.
const parts: [string, () => void][] = [
  [
    'setTimeout + clearTimeout',
    () => {
      clearTimeout(setTimeout(() => {}, 120_000));
    },
  ],
  [
    'EventEmitter signal + once/removeListener',
    () => {
      const e = new EventEmitter();
      const f = () => {};
      e.once('abort', f);
      e.removeListener('abort', f);
    },
  ],
  [
    'AbortController + addEventListener/remove',
    () => {
      const c = new AbortController();
      const f = () => {};
      c.signal.addEventListener('abort', f, { once: true });
      c.signal.removeEventListener('abort', f);
    },
  ],
  ['JSON.stringify of the entry', () => void JSON.stringify(entries[7])],
  ['new URLSearchParams({cas}).toString()', () => void new URLSearchParams({ cas: '0' }).toString()],
  ['Buffer.byteLength of the body', () => void Buffer.byteLength('{"Kind":"service-defaults","Name":"svc-7","Protocol":"http"}')],
];
const LOOPS = 200_000;
console.log(`one request's parts alone (${LOOPS} times each, CPU per operation)`);
for (const [name, f] of parts) {
  for (let i = 0; i < 10_000; i++) f();
  const t = process.cpuUsage();
  for (let i = 0; i < LOOPS; i++) f();
  const d = process.cpuUsage(t);
  console.log(`  ${name.padEnd(44)} ${(((d.user + d.system) / LOOPS) * 1000).toFixed(0).padStart(6)} ns`);
}
