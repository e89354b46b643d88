// A push whose apply lands only in part, through the production webhook path (webhook function →
// Lambda → reconcile function): the commit status and the run's log line must say which entries
// Consul does not hold as Git says, not only how many. Counts alone ("1 outcome unknown, 1 not
// attempted") leave the operator to guess which entries to look at. And such a run is not "handled":
// a redelivery runs it again.
import { afterEach, describe, expect, it } from 'vitest';
import { createReconcileHandler, type ReconcileHandler } from '../../functions/reconcile/handler.ts';
import { pushOf } from '../support/github-events.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

let h: ServerlessHarness;
let proxy: ConsulProxy;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await proxy.close();
  await h.close();
});

const files = {
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
  'config-entries/api-intentions.hcl': 'Kind = "service-intentions"\nName = "api"\nSources = [{ Name = "web", Action = "allow" }]\n',
};

/** A harness whose reconcile function reaches Consul through a proxy that loses the api write's answers while `losing()`. */
async function partlyFailing(losing: () => boolean): Promise<void> {
  let inner: ReconcileHandler | undefined;
  h = await startServerlessHarness({
    createReconcileHandler: (deps) => (event, context) =>
      (inner ??= createReconcileHandler({ ...deps, env: { ...deps.env, CONSUL_HTTP_ADDR: proxy.url } }))(event, context),
  });
  proxy = await startConsulProxy(h.consul.url, (req, body) =>
    losing() && req.method === 'PUT' && req.url?.startsWith('/v1/config') && body.includes('"service-defaults"') ? 'lose-answer' : 'forward',
  );
}

describe('a push applied in part, through the Lambda handler', () => {
  it('a redelivery of it (GitHub\'s "Redeliver") runs it again and finishes it; it is not "already handled"', async () => {
    let losing = true;
    await partlyFailing(() => losing);
    const sha = h.github.addCommit(files, 'api', { branch: 'master' });
    expect((await h.deliver('push', pushOf(sha), { deliveryId: 'delivery-1' })).statusCode).toBe(202);
    expect(h.github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'failure']);
    losing = false;
    expect((await h.deliver('push', pushOf(sha), { deliveryId: 'delivery-1' })).statusCode).toBe(202);
    expect(h.github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'failure', 'pending', 'success']);
    expect((await fetch(`${h.consul.url}/v1/config/service-intentions/api`)).status).toBe(200);
  });

  it('names every entry left (outcome unknown, not attempted) on the commit status and in the log line', async () => {
    // The reconcile function talks to Consul through a proxy that loses every answer to the api write.
    await partlyFailing(() => true);
    const sha = h.github.addCommit(files, 'api', { branch: 'master' });
    expect((await h.deliver('push', pushOf(sha))).statusCode).toBe(202);

    const statuses = h.github.statuses.filter((s) => s.sha === sha);
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
    const description = statuses[1].description ?? '';
    expect(description).toContain('1 outcome unknown');
    expect(description).toContain('service-defaults/api');
    expect(description.length).toBeLessThanOrEqual(140);

    const finished = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'Reconcile finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ level: 'WARN', outcome: 'applied', ok: false });
    expect(finished[0].summary).toMatch(/service-defaults\/api: outcome unknown/);
    expect(finished[0].summary).toMatch(/service-intentions\/api: not attempted/);
  });
});
