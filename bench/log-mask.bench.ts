// The cost of masking known secrets in every log line (src/runtime/logger.ts over
// src/known-secrets.ts): the same lines written through the functions' logger with no secret known,
// against the same logger knowing what a deployment holds (a webhook secret, a GitHub token, a
// Consul token, an App private key: about 60 masks) and after 256 rotations (the registry's limit).
// Ratios to the no-secret run of the same process are what to read; this machine is shared.
// Run: node --import tsx bench/log-mask.bench.ts
import { generateKeyPairSync } from 'node:crypto';
import { KnownSecrets } from '../src/known-secrets.ts';
import { createLog } from '../src/runtime/logger.ts';

const LINES = Number(process.env.BENCH_LOG_LINES ?? 50_000);
const ROUNDS = 5;

function deployment(registry: KnownSecrets): KnownSecrets {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  registry.add('webhook-secret-0123456789abcdef', 'webhook');
  registry.add('ghp_0123456789abcdefghijklmnopqrstuvwxyz', 'github');
  registry.add('6f1c7d2e-8a9b-4c3d-9e0f-1a2b3c4d5e6f', 'consul');
  registry.add(privateKey, 'app key');
  return registry;
}

/** ms per run of LINES lines, best of ROUNDS (a "Reconcile finished" line with a few hundred bytes of fields). */
function measure(registry: KnownSecrets): { ms: number; masks: number } {
  let sink = 0;
  const log = createLog({ registry, sink: (l) => (sink += l.length) }).withCorrelationId('72d3162e-cc78-11e3-81ab-4c9367dc0958');
  const fields = {
    target: 'dc1',
    mode: 'apply',
    sha: 'a'.repeat(40),
    outcome: 'applied',
    summary: 'Plan: 3 to create, 1 to update, 0 to delete; applied 4 of 4',
    writes: 4,
  };
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < LINES; i++) log('info', 'Reconcile finished', fields);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (sink === 0) throw new Error('nothing logged');
  return { ms: best, masks: registry.masks().length };
}

const none = measure(new KnownSecrets());
const held = measure(deployment(new KnownSecrets()));
const rotated = deployment(new KnownSecrets());
for (let i = 0; i < 256; i++) rotated.add(`rotated-consul-token-${i}-${'x'.repeat(20)}`);
const many = measure(rotated);

const row = (name: string, m: { ms: number; masks: number }) =>
  `${name.padEnd(34)} ${String(m.masks).padStart(5)} masks  ${((m.ms * 1000) / LINES).toFixed(2).padStart(7)} µs/line  ×${(m.ms / none.ms).toFixed(2)}`;
console.log(`log-mask: ${LINES} lines, best of ${ROUNDS}`);
console.log(row('no secret known', none));
console.log(row('a deployment’s secrets', held));
console.log(row('after 256 rotations (the limit)', many));
