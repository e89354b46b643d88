// serve's face of the replay: X-GitHub-Delivery is not covered by the signature, so one signed body
// sent again under the id of a real delivery still to come is answered as a replay (not run), and
// the real delivery under that id, with its own body, is still accepted and applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signed, type SignedRequest } from '../functions/webhook/github-examples.ts';
import { pushOf } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { DEFAULT_BRANCH } from '../support/serverless-harness.ts';

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n';

let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness();
});
afterAll(() => h.close());

async function send(request: SignedRequest) {
  const res = await fetch(`${h.serve.url}/webhook`, { method: 'POST', headers: request.headers, body: request.body });
  const body = (await res.json()) as { outcome: string; reason: string };
  await h.serve.idle();
  return { status: res.status, body };
}

const live = async (name: string) => (await fetch(`${h.consul.url}/v1/config/service-defaults/${name}`)).status;
const queued = () => h.logs.filter((l) => (JSON.parse(l) as { message: string }).message === 'Reconcile queued').length;

describe('serve: a signed push replayed under the delivery id of a real push still to come', () => {
  it('answers the replay as one and runs nothing; the real delivery under that id is applied', async () => {
    const first = h.github.addCommit({ 'config-entries/web.hcl': WEB }, 'web', { branch: DEFAULT_BRANCH });
    const original = await signed('push', pushOf(first), { deliveryId: 'b1b2c3d4-0000-11f0-8000-000000000001' });
    expect((await send(original)).status).toBe(202);
    expect(await live('web')).toBe(200);

    const nextId = 'b1b2c3d4-0000-11f0-8000-000000000002';
    const before = queued();
    const replay = await send({ headers: { ...original.headers, 'x-github-delivery': nextId }, body: original.body });
    expect(replay).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(replay.body.reason).toContain('delivered before as b1b2c3d4-0000-11f0-8000-000000000001');
    expect(queued()).toBe(before);
    expect(h.logs.some((l) => l.includes('Webhook replay ignored'))).toBe(true);

    const second = h.github.addCommit({ 'config-entries/web.hcl': WEB, 'config-entries/api.hcl': API }, 'api', { branch: DEFAULT_BRANCH });
    const real = await send(await signed('push', { ...pushOf(second), before: first }, { deliveryId: nextId }));
    expect(real).toMatchObject({ status: 202, body: { outcome: 'accepted' } });
    expect(await live('api')).toBe(200);

    // GitHub's own redelivery (same id, same body) is still answered as a duplicate.
    const again = await send(original);
    expect(again).toMatchObject({ status: 200, body: { outcome: 'duplicate', reason: 'delivery already accepted; reconcile not started again' } });
  });
});
