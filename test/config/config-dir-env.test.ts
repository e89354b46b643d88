// CONFIG_DIR (serve and the Lambdas, without TARGETS_CONFIG) through serve's start: the spellings
// the webhook matches pushes with are the reconcile's too (`/config-entries` is the repository's
// `config-entries`: it used to stop every start with the schema's raw error, code `internal`), and a
// folder leading out of the repository is a configuration error naming the variable.
import { expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

async function start(configDir: string): Promise<ServeHarness | Error> {
  return startServeHarness({ env: { CONFIG_DIR: configDir } }).catch((e: unknown) => e as Error);
}

it('CONFIG_DIR=/config-entries starts serve (the repository’s config-entries, as the webhook reads it)', async () => {
  const started = await start('/config-entries');
  if (started instanceof Error) throw started;
  await started.close();
});

it('CONFIG_DIR=../outside stops serve at start with a config error naming the variable', async () => {
  const started = await start('../outside');
  if (!(started instanceof Error)) await started.close();
  expect(started).toBeInstanceOf(Error);
  expect((started as Error).message).toContain('CONFIG_DIR: a folder inside the repository');
  expect((started as { code?: string }).code).toBe('config');
});
