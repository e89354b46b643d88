// npm run bench (part 3): each Lambda bundled as the stack bundles it (esbuild, ESM, minified,
// node22), with the AWS SDK left out of the size, and its cold import time in a fresh Node process.
// Baseline: the same bundles without minification, measured in the same run.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join('node_modules', '.cache', 'consul-gitops-bench');
// The same shim the stack's bundling adds: ESM bundles that contain CommonJS dependencies need `require`.
const REQUIRE_SHIM = "import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);";
const TARGETS: Record<string, number> = { webhook: 150 * 1024, reconcile: 1024 * 1024, schedule: 1024 * 1024 };

async function bundle(name: string, minify: boolean): Promise<string> {
  const outfile = join(OUT, `${name}${minify ? '' : '.plain'}.mjs`);
  await build({
    entryPoints: [`functions/${name}/handler.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', '@smithy/*'],
    banner: { js: REQUIRE_SHIM },
    logLevel: 'silent',
  });
  return outfile;
}

/** Median of five cold imports, each in a fresh process (what a Lambda cold start pays). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`./${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const runs = Array.from({ length: 5 }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AWS_REGION: 'us-east-1', RECONCILE_FUNCTION_NAME: 'x' } }).toString()),
  ).sort((a, b) => a - b);
  return runs[2]!;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
console.log('Lambda bundles (esbuild ESM node22, AWS SDK external), against unminified bundles as baseline');
{
  const script = "const t = performance.now(); await import('@aws-sdk/client-lambda'); process.stdout.write(String(performance.now() - t));";
  const sdkMs = Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString());
  console.log(`  (@aws-sdk/client-lambda itself takes ${sdkMs.toFixed(1)} ms to import; the webhook loads it only on the first event that starts a reconcile)`);
}
for (const name of Object.keys(TARGETS)) {
  const min = await bundle(name, true);
  const plain = await bundle(name, false);
  const minSize = statSync(min).size;
  const plainSize = statSync(plain).size;
  const minMs = coldImportMs(min);
  const plainMs = coldImportMs(plain);
  const sizeOk = minSize < TARGETS[name]!;
  const importNote = name === 'webhook' ? `, target under 50 ms -> ${minMs < 50 ? 'met' : 'MISSED'}` : '';
  console.log(
    `  ${name.padEnd(9)} ${(minSize / 1024).toFixed(0)} KiB minified vs ${(plainSize / 1024).toFixed(0)} KiB plain (${(minSize / plainSize).toFixed(2)}x), target under ${TARGETS[name]! / 1024} KiB -> ${sizeOk ? 'met' : 'MISSED'}; cold import ${minMs.toFixed(1)} ms vs ${plainMs.toFixed(1)} ms plain (${(minMs / plainMs).toFixed(2)}x)${importNote}`,
  );
}
