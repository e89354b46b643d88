// What the targets-overlap tests hand serve and the reconcile Lambda: one process's environment with
// TARGETS_CONFIG, and the check that both refuse it at load, saying why, as a `config` error.
import { expect } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startServe } from '../../src/serve/server.ts';
import { SECRET } from '../functions/webhook/github-examples.ts';

/** serve's and the reconcile function's environment: these targets, CONSUL_HTTP_ADDR `consulUrl`, GitHub at a closed port. */
export function overlapEnv(consulUrl: string, targets: readonly Record<string, unknown>[]): Record<string, string> {
  return {
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_TOKEN: 'ghp_overlapTOKEN0123456789',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_REPOSITORY: 'acme/mesh',
    DEFAULT_BRANCH: 'main',
    CONSUL_HTTP_ADDR: consulUrl,
    TARGETS_CONFIG: JSON.stringify({ targets }),
  };
}

/** serve refuses to start and the reconcile Lambda refuses a drift event: each a `config` error whose message matches `words`. */
export async function expectServeAndLambdaRefuse(env: Record<string, string>, words: RegExp): Promise<void> {
  await expect(startServe({ env, port: 0, host: '127.0.0.1', log: () => {}, scheduleIntervalMs: 0 })).rejects.toMatchObject({
    code: 'config',
    message: expect.stringMatching(words),
  });
  const reconcile = createReconcileHandler({ env, log: () => {}, metrics: { record: () => undefined } });
  const event = { mode: 'drift', repository: { owner: 'acme', name: 'mesh' }, branch: 'main', deliveryId: 'schedule-1' };
  await expect(reconcile(event)).rejects.toMatchObject({ code: 'config', message: expect.stringMatching(words) });
}
