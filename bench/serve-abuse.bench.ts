// `serve` under abuse (issue 8 item 10): how much memory thirty concurrent 24 MB posts cost the
// server, as a ratio to one genuine 24 MB body measured in the same run. Unsigned posts are refused
// before their bodies are read (ratio ≈ 0); posts with a well-formed but wrong signature are held
// only up to MAX_BUFFERED_BYTES (64 MiB: ratio ≈ 2-3, two bodies and their string copies).
// The clients run in a child process so their buffers do not count; RSS is sampled every 10 ms.
import { spawn } from 'node:child_process';
import { startServe } from '../src/serve/server.ts';

const SIZE = 24 * 1024 * 1024;
const WELL_FORMED = `sha256=${'ab'.repeat(32)}`;

const CLIENT = `
const { request } = require('node:http');
const [url, n, size, sig] = process.argv.slice(1);
const body = Buffer.alloc(Number(size), 'x');
const u = new URL(url + '/webhook');
const one = () => new Promise((resolve) => {
  const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'content-length': size };
  if (sig !== 'none') headers['x-hub-signature-256'] = sig;
  const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', (e) => resolve(e.code));
  req.end(body);
});
Promise.all(Array.from({ length: Number(n) }, one)).then((out) => {
  const counts = {};
  for (const s of out) counts[s] = (counts[s] || 0) + 1;
  console.log(JSON.stringify(counts));
});
`;

const serve = await startServe({
  env: { GITHUB_WEBHOOK_SECRET: 'bench-secret-123', GITHUB_TOKEN: 'ghp_bench123456', CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' },
  port: 0,
  host: '127.0.0.1',
  log: () => {},
  scheduleIntervalMs: 0,
});

/** Peak RSS growth (bytes) while `n` clients post SIZE bytes with `sig`, and what they were answered. */
async function peakGrowth(n: number, sig: string): Promise<{ growth: number; answers: string }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const child = spawn(process.execPath, ['-e', CLIENT, serve.url, String(n), String(SIZE), sig], { stdio: ['ignore', 'pipe', 'inherit'] });
  let answers = '';
  child.stdout.on('data', (c: Buffer) => (answers += c.toString()));
  await new Promise((r) => child.on('close', r));
  clearInterval(timer);
  return { growth: peak - base, answers: answers.trim() };
}

try {
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  // Baseline: one body of the same size admitted, hashed and refused (wrong signature).
  const one = await peakGrowth(1, WELL_FORMED);
  const unsigned = await peakGrowth(30, 'none');
  const bogus = await peakGrowth(30, WELL_FORMED);
  console.log(`serve abuse: peak RSS growth, as a ratio to one admitted 24 MB body (${mb(one.growth)}, answered ${one.answers})`);
  console.log(`  30 × 24 MB, no signature:              ${(unsigned.growth / one.growth).toFixed(2)}×  (${mb(unsigned.growth)}, answered ${unsigned.answers})`);
  console.log(
    `  30 × 24 MB, well-formed bad signature: ${(bogus.growth / one.growth).toFixed(2)}×  (${mb(bogus.growth)}, answered ${bogus.answers}; budget ${mb(serve.bodies().limitBytes)})`,
  );
} finally {
  await serve.close();
}
