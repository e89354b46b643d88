// The reconcile function ran any event when GITHUB_REPOSITORY was unset (stop 16 left it: only the
// webhook and schedule invoke it, and both require the variable). An invoke by hand, or a webhook
// deployed from an older stack without the variable, would have applied whatever repository the
// event named. It now refuses every event, as the webhook does, naming the variable; the invocation
// fails so Lambda keeps the event (retries, then the dead-letter queue) instead of dropping it.
import { afterEach, expect, it } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { GITHUB_TOKEN, OWNER, REPO, startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

const api = { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' };
const REQUIRED =
  "GITHUB_REPOSITORY: required (the repository whose pushes are applied and whose pull requests are planned: a webhook signs every repository's deliveries with the same secret, so any other repository's are ignored)";

let h: ServerlessHarness;
afterEach(async () => {
  await h.close();
});

it('the reconcile function without GITHUB_REPOSITORY refuses an event, naming the variable, and applies nothing', async () => {
  h = await startServerlessHarness();
  const sha = h.github.addCommit(api, 'api', { branch: 'master' });
  const logs: string[] = [];
  const reconcile = createReconcileHandler({
    env: { CONSUL_HTTP_ADDR: h.consul.url, GITHUB_TOKEN, GITHUB_API_URL: h.github.url, DEFAULT_BRANCH: 'master' },
    overrides: { github: { throttle: false, retries: 0 } },
    log: (l) => logs.push(l),
    metrics: { record: () => undefined },
  });
  for (const repository of [
    { owner: OWNER, name: REPO },
    { owner: OWNER, name: 'other-mesh' },
  ]) {
    const event = { repository, sha, ref: 'refs/heads/master', deliveryId: `d-${repository.name}`, mode: 'apply' };
    await expect(reconcile(event)).rejects.toThrow(`invalid reconcile configuration: ${REQUIRED}`);
  }
  const drift = { mode: 'drift', repository: { owner: OWNER, name: REPO }, branch: 'master', deliveryId: 'schedule-1' };
  await expect(reconcile(drift)).rejects.toThrow('invalid reconcile configuration: GITHUB_REPOSITORY: required');
  expect((await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).status).toBe(404);
  expect(h.github.statuses).toEqual([]);
  expect(h.github.requests.length).toBe(0);
});
