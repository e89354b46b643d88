// npm run bench (stats parse): parsing a 50 MB Envoy stats dump in Prometheus text format with
// src/stats/prometheus-text.ts, against the npm parser `parse-prometheus-text-format` on the same
// input in the same run. The dump is the real consul-dataplane merged scrape
// (test/fixtures/envoy/consul-dataplane-merged-metrics.prom.txt) repeated with varied label values,
// as a Prometheus federation or a many-pod scrape would look. Target (over 100 MB/s) for the record.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parsePrometheusText } from '../src/stats/prometheus-text.ts';

const TARGET_MB = Number(process.env.BENCH_DUMP_MB ?? 50);
const sample = readFileSync(new URL('../test/fixtures/envoy/consul-dataplane-merged-metrics.prom.txt', import.meta.url), 'utf8');

function generateDump(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < TARGET_MB * 1024 * 1024; i++) {
    // Each copy is another sidecar: service, pod address and datacenter vary; families repeat,
    // so every copy after the first drops its # HELP / # TYPE lines as one scrape would have them once.
    const copy = sample
      .replaceAll('mynginx', `svc-${i % 997}`)
      .replaceAll('10.50.132.6', `10.${(i >> 8) & 255}.${i & 255}.6`)
      .replaceAll('consul-sandbox-cluster-0159c9d3', `dc-${i % 7}`);
    const body = i === 0 ? copy : copy.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    parts.push(body.endsWith('\n') ? body : `${body}\n`);
    size += body.length + 1;
  }
  return parts.join('');
}

const dump = generateDump();
const mb = Buffer.byteLength(dump) / 2 ** 20;
const npmParser = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => unknown[];

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

let ourSamples = 0;
let theirFamilies = 0;
const ours = () => {
  const r = parsePrometheusText(dump);
  if (r.issues.length) throw new Error(`bench dump has parse issues: ${JSON.stringify(r.issues[0])}`);
  ourSamples = r.samples.length;
};
const theirs = () => {
  theirFamilies = npmParser(dump).length;
};
ours(); // warm-up: JIT compilation is billed to neither side
theirs();
const best = (fn: () => void) => Math.min(cpuMs(fn), cpuMs(fn), cpuMs(fn));
const oursMs = best(ours);
const theirsMs = best(theirs);
const rate = (ms: number) => mb / (ms / 1000);
console.log(`parse a ${mb.toFixed(1)} MB Envoy stats dump (Prometheus text, ${ourSamples.toLocaleString('en-US')} samples, ${theirFamilies} families)`);
console.log(`  src/stats/prometheus-text.ts: ${oursMs.toFixed(0)} ms CPU = ${rate(oursMs).toFixed(0)} MB/s`);
console.log(`  baseline parse-prometheus-text-format (npm): ${theirsMs.toFixed(0)} ms CPU = ${rate(theirsMs).toFixed(0)} MB/s`);
console.log(`  ratio ours/baseline time: ${(oursMs / theirsMs).toFixed(2)}x   target over 100 MB/s -> ${rate(oursMs) > 100 ? 'met' : 'MISSED'}`);
