// npm run bench (part 4): the dev server must never be the bottleneck of the reconciler's
// benchmarks. Writes per second and list requests per second (100 entries each) over loopback,
// with the server in its own process; the server's CPU per write, and per GET of its cheapest
// route (/v1/status/leader: the HTTP layer alone), against a bare node:http server that reads the
// same requests and answers `true` (the HTTP floor), both measured in the same run; and the Consul
// client's overhead per request against a bare undici.request measured in the same run. With
// BENCH_BASE_REF=<commit>, the dev server built from that commit takes the same writes and GETs,
// alternating, and the CPU ratios now/before are printed. Both servers run built (dist/), as installed.
// Last, load-independent: what 10,000 writes of the scale bench's three kinds (with the apply client's
// Meta) make the young generation of a fresh server do (V8's --trace-gc-nvp: bytes allocated, bytes
// that survived a scavenge, bytes promoted), now and at BENCH_BASE_REF: a write's garbage and what the
// store keeps are what its collections cost, and bytes do not move with the machine's load.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool, request } from 'undici';
import { ConsulClient } from '../src/adapters/consul/client.ts';
import { startDevServerProcess } from './support/dev-server-process.ts';
import { buildCliForBench } from './support/built-cli.ts';
import { buildCliAt } from './support/built-cli-at.ts';
import { startBareServer } from './support/bare-server.ts';
import { DevState } from '../src/dev-server/state.ts';
import { graphError } from '../src/dev-server/graph-check.ts';
import { entryHash } from '../src/dev-server/response-shape.ts';
import type { ApiEntry } from '../src/model/kind-definition.ts';

const WRITES = 20_000;
const LISTS = 5_000;
const IN_FLIGHT = 32;
/** Writes the young-generation figures count (the scale bench's apply size). */
const GC_WRITES = 10_000;

const built = await buildCliForBench();
process.on('exit', () => built.remove());
const BASE_REF = process.env.BENCH_BASE_REF;
const base = BASE_REF ? await buildCliAt(BASE_REF) : undefined;
process.on('exit', () => base?.remove());
const server = await startDevServerProcess([], { bin: built.bin });
const baseServer = base ? await startDevServerProcess([], { bin: base.bin }) : undefined;
const url = server.url;

/** CPU time (ms) a process has used so far (Linux /proc/PID/stat: utime + stime, in clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `count` distinct service-defaults writes to `target`, IN_FLIGHT at a time: wall ms and the target process's CPU ms. */
async function writes(target: { url: string; pid: number }, count: number, first: number): Promise<{ ms: number; cpuMs: number }> {
  const writer = new Pool(target.url, { connections: IN_FLIGHT, pipelining: 1 });
  try {
    const cpuBefore = processCpuMs(target.pid);
    const ms = await run(count, IN_FLIGHT, async (i) => {
      const res = await writer.request({
        method: 'PUT',
        path: '/v1/config',
        body: JSON.stringify({ Kind: 'service-defaults', Name: `svc-${first + i}`, Protocol: 'http' }),
      });
      const text = await res.body.text();
      if (text !== 'true') throw new Error(`write ${i} answered ${res.statusCode} ${text}`);
    });
    return { ms, cpuMs: processCpuMs(target.pid) - cpuBefore };
  } finally {
    await writer.close();
  }
}

/** `count` GET /v1/status/leader, IN_FLIGHT at a time: the target process's CPU ms (no route work: routing, context, headers). */
async function leaderReads(target: { url: string; pid: number }, count: number): Promise<number> {
  const reader = new Pool(target.url, { connections: IN_FLIGHT, pipelining: 1 });
  try {
    const cpuBefore = processCpuMs(target.pid);
    await run(count, IN_FLIGHT, async () => {
      const res = await reader.request({ method: 'GET', path: '/v1/status/leader', headers: { accept: 'application/json' } });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`GET /v1/status/leader answered ${res.statusCode}`);
    });
    return processCpuMs(target.pid) - cpuBefore;
  } finally {
    await reader.close();
  }
}

async function run(count: number, inFlight: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return performance.now() - start;
}

const pool = new Pool(url, { connections: IN_FLIGHT, pipelining: 1 });
try {
  // Writes: distinct service-defaults entries, as an apply of a large tree sends them; the same
  // writes to the bare server alternate with them, half at a time, so both see the same machine.
  const bare = await startBareServer();
  const half = WRITES / 2;
  let writeMs = 0;
  let serverCpuMs = 0;
  let bareCpuMs = 0;
  let leaderCpuMs = 0;
  let bareLeaderCpuMs = 0;
  let baseCpuMs = 0;
  let baseLeaderCpuMs = 0;
  try {
    for (let part = 0; part < 2; part++) {
      const dev = await writes(server, half, part * half);
      writeMs += dev.ms;
      serverCpuMs += dev.cpuMs;
      bareCpuMs += (await writes(bare, half, part * half)).cpuMs;
      if (baseServer) baseCpuMs += (await writes(baseServer, half, part * half)).cpuMs;
      leaderCpuMs += await leaderReads(server, half);
      bareLeaderCpuMs += await leaderReads(bare, half);
      if (baseServer) baseLeaderCpuMs += await leaderReads(baseServer, half);
    }
  } finally {
    bare.close();
    baseServer?.close();
  }
  // Lists of 100 entries: proxy-defaults is one entry, so list a kind seeded with exactly 100.
  for (let i = 0; i < 100; i++) {
    const res = await pool.request({
      method: 'PUT',
      path: '/v1/config',
      body: JSON.stringify({ Kind: 'service-intentions', Name: `dst-${i}`, Sources: [{ Name: 'web', Action: 'allow' }] }),
    });
    await res.body.text();
  }
  const listMs = await run(LISTS, IN_FLIGHT, async () => {
    const res = await pool.request({ method: 'GET', path: '/v1/config/service-intentions' });
    const body = (await res.body.json()) as unknown[];
    if (body.length !== 100) throw new Error(`list returned ${body.length} entries`);
  });

  // Client overhead: the same GET one at a time, bare undici.request against ConsulClient.getEntry.
  const client = new ConsulClient({ address: url });
  const N = 2_000;
  const bareGet = await run(N, 1, async () => {
    const res = await request(`${url}/v1/config/service-intentions/dst-1`);
    await res.body.json();
  });
  const ours = await run(N, 1, async () => {
    await client.getEntry('service-intentions', 'dst-1');
  });
  await client.close();

  const writesPerSec = (WRITES / writeMs) * 1000;
  const listsPerSec = (LISTS / listMs) * 1000;
  console.log(`dev server over loopback (own process, ${IN_FLIGHT} requests in flight)`);
  console.log(
    `  config-entry writes: ${writesPerSec.toFixed(0)}/s (${WRITES} writes in ${writeMs.toFixed(0)} ms), target at least 5000/s -> ${writesPerSec >= 5000 ? 'met' : 'MISSED'}`,
  );
  // The dev server handles requests on one thread: its CPU per write bounds any apply against it.
  const perWrite = (ms: number) => (ms / WRITES) * 1000;
  console.log(
    `  CPU per write: dev server ${perWrite(serverCpuMs).toFixed(0)} µs, bare node:http server ${perWrite(bareCpuMs).toFixed(0)} µs (reads the body, answers true): ${(serverCpuMs / bareCpuMs).toFixed(2)}x the HTTP floor`,
  );
  console.log(
    `  CPU per GET /v1/status/leader (the HTTP layer alone): dev server ${perWrite(leaderCpuMs).toFixed(0)} µs, bare node:http server ${perWrite(bareLeaderCpuMs).toFixed(0)} µs: ${(leaderCpuMs / bareLeaderCpuMs).toFixed(2)}x the HTTP floor`,
  );
  if (baseServer)
    console.log(
      `  against the dev server at ${BASE_REF} (alternating): ${perWrite(baseCpuMs).toFixed(0)} µs per write, ${perWrite(baseLeaderCpuMs).toFixed(0)} µs per GET | now/before ${(serverCpuMs / baseCpuMs).toFixed(2)}x CPU per write, ${(leaderCpuMs / baseLeaderCpuMs).toFixed(2)}x CPU per GET`,
    );
  console.log(`  list requests (100 entries each): ${listsPerSec.toFixed(0)}/s, target at least 2000/s -> ${listsPerSec >= 2000 ? 'met' : 'MISSED'}`);
  const graph = graphCheckRatio();
  console.log(
    `  graph check of a service-defaults write, 10,000 vs 100 routers in the store: ${graph.toFixed(2)}x (the link index keeps it near 1x; a scan of every chain grows with the store)`,
  );
  for (const [name, bin] of [['now', built.bin], ...(base ? [[BASE_REF!, base.bin]] : [])]) {
    const gc = await youngGeneration(bin);
    const kb = (bytes: number) => `${(bytes / GC_WRITES / 1024).toFixed(2)} KiB`;
    console.log(
      `  young generation per write, ${GC_WRITES} writes of the scale bench's kinds to a fresh server (${name}): allocated ${kb(gc.allocated)} (counted at ${gc.scavenges} scavenges), survived ${kb(gc.survived)}, promoted ${kb(gc.promoted)}; ${gc.markCompacts} mark-compacts`,
    );
  }
  console.log(
    `  client overhead: ConsulClient.getEntry ${((ours / N) * 1000).toFixed(0)} µs/request vs bare undici.request ${((bareGet / N) * 1000).toFixed(0)} µs/request (${(ours / bareGet).toFixed(2)}x)`,
  );
} finally {
  await pool.close();
  server.close();
}

/**
 * In process: the graph check of one service-defaults write among `routers` routers (each to its own
 * service), large store against small one, measured in the same run. Each side repeats until 200 ms.
 */
function graphCheckRatio(): number {
  const perCheck = (routers: number): number => {
    const state = new DevState();
    const put = (e: ApiEntry) => state.putEntry(e.Kind, String(e.Name), e, entryHash(e));
    for (let i = 0; i < routers; i++) {
      put({ Kind: 'service-defaults', Name: `svc-${i}`, Protocol: 'http' });
      put({
        Kind: 'service-router',
        Name: `svc-${i}`,
        Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { Service: `svc-${(i + 1) % routers}` } }],
      });
    }
    const existing = state.getEntry('service-defaults', 'svc-0')!.entry;
    const proposed: ApiEntry = { ...existing, MaxInboundConnections: 5 };
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 200) {
      graphError(state.graphView, existing, proposed);
      n++;
    }
    return (performance.now() - start) / n;
  };
  perCheck(100); // warm-up
  return perCheck(10_000) / perCheck(100);
}

/** The scale bench's apply writes: service-defaults, intentions and routers in turn, each with the ownership Meta the client adds. */
function benchWrite(i: number): string {
  const svc = `svc-${Math.floor(i / 3)}`;
  const Meta = { 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${svc}.${['hcl', 'json', 'yaml'][i % 3]}` };
  if (i % 3 === 0) return JSON.stringify({ Kind: 'service-defaults', Name: svc, Protocol: 'http', MutualTLSMode: 'strict', Meta });
  if (i % 3 === 1) return JSON.stringify({ Kind: 'service-intentions', Name: svc, Sources: [{ Name: `svc-${Math.floor(i / 3) + 1}`, Action: 'allow' }], Meta });
  return JSON.stringify({
    Kind: 'service-router',
    Name: svc,
    Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { Service: svc, PrefixRewrite: '/' } }],
    Meta,
  });
}

/**
 * A fresh dev server of `bin` under --trace-gc-nvp takes GC_WRITES writes (after the tree's
 * proxy-defaults): the sums over the scavenges after it started listening. Allocation is counted at
 * each scavenge, so it is short by what the young generation held when the server stopped.
 */
async function youngGeneration(bin: string): Promise<{ scavenges: number; allocated: number; survived: number; promoted: number; markCompacts: number }> {
  const child = spawn(process.execPath, ['--trace-gc-nvp', bin, 'dev-server', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const target = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearInterval(poll);
          resolve(m[1]);
        }
      }, 10);
      child.on('exit', (code) => {
        clearInterval(poll);
        reject(new Error(`dev server exited with ${code}`));
      });
    });
    const writer = new Pool(target, { connections: IN_FLIGHT, pipelining: 1 });
    try {
      const seed = await writer.request({
        method: 'PUT',
        path: '/v1/config',
        body: JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } }),
      });
      if ((await seed.body.text()) !== 'true') throw new Error('proxy-defaults write refused');
      await run(GC_WRITES, IN_FLIGHT, async (i) => {
        const res = await writer.request({ method: 'PUT', path: '/v1/config?cas=0', body: benchWrite(i) });
        const text = await res.body.text();
        if (text !== 'true') throw new Error(`write ${i} answered ${res.statusCode} ${text}`);
      });
    } finally {
      await writer.close();
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const sums = { scavenges: 0, allocated: 0, survived: 0, promoted: 0, markCompacts: 0 };
  const lines = out.slice(out.indexOf('listening on')).split('\n');
  for (const line of lines) {
    const field = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)?.[1] ?? 0);
    if (line.includes(' gc=s ')) {
      sums.scavenges++;
      sums.allocated += field('allocated');
      sums.survived += field('new_space_survived');
      sums.promoted += field('promoted');
    } else if (line.includes(' gc=mc ') || line.includes(' gc=mmc ')) sums.markCompacts++;
  }
  return sums;
}
