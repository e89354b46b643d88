// What the dev server's PUT /v1/config route allocates per write (load-independent: bytes, not
// time), today's against other commits': the route (ConfigRoutes.apply, no node:http) run in this
// process on the bench's three kinds as the client sends them (Meta with the ownership marker and
// source), with a young generation large enough that no collection runs during the count, so the
// heap's growth is what the writes allocated (their stored entries included). Each commit's src/ is
// bundled by esbuild (no keepNames, as the built CLI) into a scratch directory inside the repository.
// Run: BENCH_REFS=eb388cb node --import tsx bench/support/write-route-alloc.ts (BENCH_WRITES, default 20000).
// Each build runs in its own child (node --expose-gc --max-semi-space-size=512) and prints one line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const REFS = (process.env.BENCH_REFS ?? '').split(',').filter(Boolean);
const N = Number(process.env.BENCH_WRITES ?? 20_000);

/** The child: N creates through the route of the src/ at `root`, then the bytes per write. */
const child = (root: string) => `
import v8 from 'node:v8';
import { ConfigRoutes } from '${root}/src/dev-server/config-routes.ts';
import { AclPolicy } from '${root}/src/dev-server/acl.ts';
import { DevState } from '${root}/src/dev-server/state.ts';
import { parseConsulVersion, SUPPORTED_CONSUL } from '${root}/src/model/consul-versions.ts';
const N = ${N};
const routes = new ConfigRoutes(new AclPolicy(undefined), parseConsulVersion(SUPPORTED_CONSUL.newest));
const meta = (i, ext) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/x/svc-' + i + '.' + ext });
const body = (i) => {
  const svc = 'svc-' + Math.floor(i / 3);
  if (i % 3 === 0) return JSON.stringify({ Kind: 'service-defaults', Name: svc, Protocol: 'http', MutualTLSMode: 'strict', Meta: meta(i, 'hcl') });
  if (i % 3 === 1) return JSON.stringify({ Kind: 'service-intentions', Name: svc, Sources: [{ Name: 'svc-' + (Math.floor(i / 3) + 1), Action: 'allow' }], Meta: meta(i, 'json') });
  return JSON.stringify({ Kind: 'service-router', Name: svc, Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { Service: svc, PrefixRewrite: '/' } }], Meta: meta(i, 'yaml') });
};
const bodies = Array.from({ length: N }, (_, i) => body(i));
const contexts = bodies.map((text) => ({
  req: { headers: {}, method: 'PUT' }, res: { writeHead() {}, end(t) { if (t !== 'true') throw new Error('answered ' + t); } },
  path: '/v1/config', query: new URLSearchParams('cas=0'), body: text, bodyBytes: Buffer.from(text), state: undefined, token: undefined,
  baseHeaders: { 'X-Consul-Default-ACL-Policy': 'allow' }, signal: undefined,
}));
const run = (state, n) => {
  routes.apply({ ...contexts[0], query: new URLSearchParams(), body: JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } }), state });
  for (let i = 0; i < n; i++) { contexts[i].state = state; routes.apply(contexts[i]); }
};
run(new DevState(), N); // warm-up: the route compiled
run(new DevState(), N);
const state = new DevState();
globalThis.gc();
const before = v8.getHeapStatistics().used_heap_size;
run(state, N);
const after = v8.getHeapStatistics().used_heap_size;
console.log(Math.round((after - before) / N));
`;

mkdirSync(resolve('tmp'), { recursive: true });
const dir = mkdtempSync(join(resolve('tmp'), 'bench-route-alloc-'));
try {
  const bytes = new Map<string, number>();
  for (const ref of ['now', ...REFS]) {
    let root = resolve('.');
    if (ref !== 'now') {
      root = join(dir, ref);
      mkdirSync(root);
      execFileSync('tar', ['-x', '-C', root], { input: execFileSync('git', ['archive', ref, '--', 'src'], { maxBuffer: 256 * 1024 * 1024 }) });
    }
    const entry = join(dir, `${ref}.entry.ts`);
    writeFileSync(entry, child(root));
    const out = join(dir, `${ref}.mjs`);
    await build({
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.6',
      packages: 'external',
      logLevel: 'warning',
    });
    const printed = execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=512', out], { encoding: 'utf8' });
    bytes.set(ref, Number(printed.trim()));
  }
  const now = bytes.get('now')!;
  console.log(
    `dev server PUT /v1/config route, bytes allocated per write (${N} creates of the bench's three kinds, in process, no collection during the count)`,
  );
  console.log(`  now ${now}${REFS.map((r) => ` | ${r} ${bytes.get(r)} (now/${r} ${(now / bytes.get(r)!).toFixed(2)}x)`).join('')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
