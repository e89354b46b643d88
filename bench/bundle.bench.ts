// npm run bench (part 3): each Lambda bundled as the stack bundles it (esbuild, ESM, minified,
// node22, the undici alias; bench/support/lambda-bundle.ts), its size with the AWS SDK left out and as
// deployed (SDK inside), and its cold import time in a fresh Node process.
// Baselines measured in the same run: the same bundles without minification, and with the whole
// undici package (no alias).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction, bytesByPackage, PROJECT_ROOT, type FunctionName } from './support/lambda-bundle.ts';

const OUT = join(PROJECT_ROOT, 'node_modules', '.cache', `consul-gitops-bench-${process.pid}`);
const TARGETS: Record<FunctionName, number> = { webhook: 150 * 1024, reconcile: 1088 * 1024, schedule: 1024 * 1024 };
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Median of five cold imports, each in a fresh process (what a Lambda cold start pays). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const runs = Array.from({ length: 5 }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, AWS_REGION: 'us-east-1', RECONCILE_FUNCTION_NAME: 'x' },
      }).toString(),
    ),
  ).sort((a, b) => a - b);
  return runs[2];
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
try {
  console.log('Lambda bundles (esbuild ESM node22, AWS SDK external), against unminified bundles and bundles with the whole undici as baselines');
  {
    const script = "const t = performance.now(); await import('@aws-sdk/client-lambda'); process.stdout.write(String(performance.now() - t));";
    const sdkMs = Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString());
    console.log(
      `  (@aws-sdk/client-lambda itself takes ${sdkMs.toFixed(1)} ms to import; the webhook loads it only on the first event that starts a reconcile)`,
    );
  }
  for (const name of Object.keys(TARGETS) as FunctionName[]) {
    const min = await bundleFunction(name, { outdir: OUT });
    const plain = await bundleFunction(name, { outdir: OUT, minify: false, suffix: '.plain' });
    const wholeUndici = await bundleFunction(name, { outdir: OUT, aliases: false, suffix: '.whole-undici' });
    const deployed = await bundleFunction(name, { outdir: OUT, bundleAwsSdk: true, suffix: '.with-sdk' });
    const minMs = coldImportMs(min.file);
    const plainMs = coldImportMs(plain.file);
    const sizeOk = min.bytes < TARGETS[name];
    const importNote = name === 'webhook' ? `, target under 50 ms -> ${minMs < 50 ? 'met' : 'MISSED'}` : '';
    console.log(
      `  ${name.padEnd(9)} ${kib(min.bytes)} minified vs ${kib(plain.bytes)} plain (${(min.bytes / plain.bytes).toFixed(2)}x), target under ${TARGETS[name] / 1024} KiB -> ${sizeOk ? 'met' : 'MISSED'}; cold import ${minMs.toFixed(1)} ms vs ${plainMs.toFixed(1)} ms plain (${(minMs / plainMs).toFixed(2)}x)${importNote}`,
    );
    const largest = bytesByPackage(min)
      .slice(0, 4)
      .map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`)
      .join(', ');
    console.log(
      `  ${''.padEnd(9)} ${(min.bytes / wholeUndici.bytes).toFixed(2)}x the bundle with the whole undici (${kib(wholeUndici.bytes)}); as deployed, AWS SDK inside: ${kib(deployed.bytes)}; largest parts: ${largest}`,
    );
  }
} finally {
  rmSync(OUT, { recursive: true, force: true });
}
