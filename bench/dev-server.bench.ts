// npm run bench (part 4): the dev server must never be the bottleneck of the reconciler's
// benchmarks. Writes per second and list requests per second (100 entries each) over loopback,
// with the server in its own process; and the Consul client's overhead per request against a bare
// undici.request measured in the same run.
import { Pool, request } from 'undici';
import { ConsulClient } from '../src/adapters/consul/client.ts';
import { startDevServerProcess } from './support/dev-server-process.ts';
import { DevState } from '../src/dev-server/state.ts';
import { graphError } from '../src/dev-server/graph-check.ts';
import { entryHash } from '../src/dev-server/response-shape.ts';
import type { ApiEntry } from '../src/model/kind-definition.ts';

const WRITES = 20_000;
const LISTS = 5_000;
const IN_FLIGHT = 32;

const server = await startDevServerProcess();
const url = server.url;

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
  // Writes: distinct service-defaults entries, as an apply of a large tree sends them.
  const writeMs = await run(WRITES, IN_FLIGHT, async (i) => {
    const res = await pool.request({
      method: 'PUT',
      path: '/v1/config',
      body: JSON.stringify({ Kind: 'service-defaults', Name: `svc-${i}`, Protocol: 'http' }),
    });
    const text = await res.body.text();
    if (text !== 'true') throw new Error(`write ${i} answered ${res.statusCode} ${text}`);
  });
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
  const bare = await run(N, 1, async () => {
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
  console.log(`  list requests (100 entries each): ${listsPerSec.toFixed(0)}/s, target at least 2000/s -> ${listsPerSec >= 2000 ? 'met' : 'MISSED'}`);
  const graph = graphCheckRatio();
  console.log(
    `  graph check of a service-defaults write, 10,000 vs 100 routers in the store: ${graph.toFixed(2)}x (the link index keeps it near 1x; a scan of every chain grows with the store)`,
  );
  console.log(
    `  client overhead: ConsulClient.getEntry ${((ours / N) * 1000).toFixed(0)} µs/request vs bare undici.request ${((bare / N) * 1000).toFixed(0)} µs/request (${(ours / bare).toFixed(2)}x)`,
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
