// npm run bench (part 4): the dev server must never be the bottleneck of the reconciler's
// benchmarks. Writes per second and list requests per second (100 entries each) over loopback,
// with the server in its own process; the server's CPU per write, and per GET of its cheapest
// route (/v1/status/leader: the HTTP layer alone), against a bare node:http server that reads the
// same requests and answers `true` (the HTTP floor), both measured in the same run; and the Consul
// client's overhead per request against a bare undici.request measured in the same run. With
// BENCH_BASE_REF=<commit>, the dev server built from that commit takes the same writes and GETs,
// alternating, and the CPU ratios now/before are printed. Both servers run built (dist/), as installed.
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
