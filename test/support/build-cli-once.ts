// vitest globalSetup of the test files that run the built CLI (vitest.config.ts): builds it once per
// run, in the main process before those files start, into tmp/ (inside the repository, ignored by
// git, so the built files resolve node_modules as an installed dist/ does); test/support/built-cli.ts
// copies it for each file. Removed when the run ends.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: the build script is plain JavaScript with no declarations.
import { buildCli as buildCliUntyped } from '../../scripts/build.mjs';
// The name and type of what it provides.
import type {} from './built-cli.ts';

const buildCli = buildCliUntyped as (o: { outdir: string }) => Promise<unknown>;

export default async function buildCliOnce(project: TestProject): Promise<() => void> {
  mkdirSync(join(project.config.root, 'tmp'), { recursive: true });
  const scratch = mkdtempSync(join(project.config.root, 'tmp', 'built-cli-'));
  const dist = join(scratch, 'dist');
  await buildCli({ outdir: dist });
  project.provide('builtCliDir', dist);
  return () => rmSync(scratch, { recursive: true, force: true });
}
