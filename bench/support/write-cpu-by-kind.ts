// The dev server's CPU per config-entry write, by kind, today's build against the builds of other
// commits, in one run: the three kinds the scale bench's apply writes (service-defaults,
// service-intentions, service-router, each as bench/support/read-parse-tree.ts shapes them, with
// ?cas=0 as an apply's creates), each server in its own process, the servers taking turns per kind
// and round. The first round warms each server up (V8 compiles the write path) and is not counted.
// Run directly: BENCH_REFS=c586b21,7e9d596 node --import tsx bench/support/write-cpu-by-kind.ts
// (BENCH_WRITES per kind and round, default 3000; BENCH_ROUNDS default 3, the first unmeasured).
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { startDevServerProcess, type DevServerProcess } from './dev-server-process.ts';
import { buildCliForBench } from './built-cli.ts';
import { buildCliAt } from './built-cli-at.ts';

const REFS = (process.env.BENCH_REFS ?? '').split(',').filter(Boolean);
const N = Number(process.env.BENCH_WRITES ?? 3000);
const ROUNDS = Math.max(2, Number(process.env.BENCH_ROUNDS ?? 3));
const IN_FLIGHT = 32;
const KINDS = ['service-defaults', 'service-intentions', 'service-router'] as const;

/** CPU time (ms) a process has used so far (/proc/PID/stat utime + stime, 10 ms ticks). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function entry(kind: (typeof KINDS)[number], i: number): Record<string, unknown> {
  const svc = `svc-${i}`;
  if (kind === 'service-defaults') return { Kind: kind, Name: svc, Protocol: 'http', MutualTLSMode: 'strict' };
  if (kind === 'service-intentions') return { Kind: kind, Name: svc, Sources: [{ Name: `svc-${i + 1}`, Action: 'allow' }] };
  return { Kind: kind, Name: svc, Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { Service: svc, PrefixRewrite: '/' } }] };
}

/** Writes entries first..first+N-1 of `kind`, IN_FLIGHT at a time: the server's CPU ms. */
async function writes(server: DevServerProcess, kind: (typeof KINDS)[number], first: number): Promise<number> {
  const pool = new Pool(server.url, { connections: IN_FLIGHT, pipelining: 1 });
  try {
    let next = first;
    const before = processCpuMs(server.pid);
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < first + N) {
          const i = next++;
          const res = await pool.request({ method: 'PUT', path: '/v1/config?cas=0', body: JSON.stringify(entry(kind, i)) });
          const text = await res.body.text();
          if (text !== 'true') throw new Error(`${kind} ${i} answered ${res.statusCode} ${text}`);
        }
      }),
    );
    return processCpuMs(server.pid) - before;
  } finally {
    await pool.close();
  }
}

const now = await buildCliForBench();
const bases = await Promise.all(REFS.map((ref) => buildCliAt(ref)));
const servers = new Map<string, DevServerProcess>([['now', await startDevServerProcess([], { bin: now.bin })]]);
for (const [i, ref] of REFS.entries()) servers.set(ref, await startDevServerProcess([], { bin: bases[i].bin }));
try {
  // Routers need an L7 protocol for services without service-defaults yet: the tree's proxy-defaults.
  for (const s of servers.values()) {
    const res = await fetch(`${s.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } }),
    });
    if ((await res.text()) !== 'true') throw new Error('proxy-defaults write refused');
  }
  const cpu = new Map<string, number>();
  // Each turn starts with a different server, so none always runs right after the client's warm-up or another's burst.
  const order = [...servers];
  let turn = 0;
  for (let round = 0; round < ROUNDS; round++)
    for (const kind of KINDS) {
      const rotated = order.map((_, k) => order[(k + turn) % order.length]);
      turn++;
      for (const [name, s] of rotated) {
        const ms = await writes(s, kind, round * N);
        if (round > 0) cpu.set(`${kind} ${name}`, (cpu.get(`${kind} ${name}`) ?? 0) + ms);
      }
    }
  const perWrite = (kind: string, name: string) => ((cpu.get(`${kind} ${name}`) ?? 0) / ((ROUNDS - 1) * N)) * 1000;
  console.log(`dev server CPU per write (µs), ${N} writes per kind and round, ${ROUNDS - 1} measured rounds, ${IN_FLIGHT} in flight`);
  const mix = new Map<string, number>();
  for (const kind of KINDS) {
    for (const name of servers.keys()) mix.set(name, (mix.get(name) ?? 0) + perWrite(kind, name) / KINDS.length);
    const others = REFS.map((ref) => ` | ${ref} ${perWrite(kind, ref).toFixed(0)} (now/${ref} ${(perWrite(kind, 'now') / perWrite(kind, ref)).toFixed(2)}x)`);
    console.log(`  ${kind.padEnd(18)} now ${perWrite(kind, 'now').toFixed(0)}${others.join('')}`);
  }
  const others = REFS.map((ref) => ` | ${ref} ${mix.get(ref)!.toFixed(0)} (now/${ref} ${(mix.get('now')! / mix.get(ref)!).toFixed(2)}x)`);
  console.log(`  ${'the three, mean'.padEnd(18)} now ${mix.get('now')!.toFixed(0)}${others.join('')}`);
} finally {
  for (const s of servers.values()) s.close();
  now.remove();
  for (const b of bases) b.remove();
}
