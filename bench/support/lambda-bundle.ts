// One Lambda function bundled with the esbuild settings the stack deploys with
// (infra/constructs/lambda-bundling.ts and reconciler-function.ts), for the bundle benchmark and the
// bundle test: ESM for node22, minified, the undici alias, the require shim.
import { build, type Metafile } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_LEFT_OUT, lambdaAliases, REQUIRE_SHIM } from '../../infra/constructs/lambda-bundling.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FUNCTIONS = ['webhook', 'reconcile', 'schedule'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface BundleOptions {
  /** Where the .mjs goes; must sit under the project root so `import('@aws-sdk/…')` resolves when the SDK is external. */
  outdir: string;
  minify?: boolean;
  /** true: the AWS SDK inside the bundle, as the stack deploys it (`bundleAwsSDK: true`); false: external, as the runtime would provide it. */
  bundleAwsSdk?: boolean;
  /** false: the whole undici package, as before the alias and LAMBDA_LEFT_OUT (a baseline). */
  aliases?: boolean;
  /** Appended to the file name, to keep variants apart. */
  suffix?: string;
}

export interface Bundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

export async function bundleFunction(name: FunctionName, o: BundleOptions): Promise<Bundle> {
  const file = join(o.outdir, `${name}${o.suffix ?? ''}.mjs`);
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [join(PROJECT_ROOT, 'functions', name, 'handler.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: o.minify ?? true,
    mainFields: ['module', 'main'],
    external: [...(o.bundleAwsSdk ? [] : ['@aws-sdk/*', '@smithy/*']), ...(o.aliases === false ? [] : LAMBDA_LEFT_OUT)],
    alias: o.aliases === false ? {} : lambdaAliases(PROJECT_ROOT),
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'silent',
  });
  return { file, bytes: statSync(file).size, metafile: result.metafile };
}

/** Bytes the bundle holds from each package (`undici`, `@smithy/core`, …) or source folder, largest first. */
export function bytesByPackage(b: Bundle): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(b.metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? m[1] : path.split('/').slice(0, 2).join('/');
      totals.set(key, (totals.get(key) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
