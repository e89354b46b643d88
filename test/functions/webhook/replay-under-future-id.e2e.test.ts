// X-GitHub-Delivery is not covered by the signature: anyone holding one signed body (a proxy log, a
// leaked capture) can send it again under any delivery id. Replayed under the id of a real delivery
// still to come, it must not make the reconciler drop that delivery as "already handled", even when
// the replay and the real one reach different webhook containers (the record in Consul KV decides);
// and the replay itself is not run again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signed } from './github-examples.ts';
import { pushOf } from '../../support/github-events.ts';
import { DEFAULT_BRANCH, startServerlessHarness, type ServerlessHarness } from '../../support/serverless-harness.ts';

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n';

let h: ServerlessHarness;
beforeAll(async () => {
  h = await startServerlessHarness();
});
afterAll(() => h.close());

/** One signed request, as a new webhook container receives it; resolves once the reconciles it started finished. */
async function send(request: { headers: Record<string, string>; body: string }) {
  h.lambda.runs.length = 0;
  const res = await h.webhook()({ headers: request.headers, body: request.body, isBase64Encoded: false } as never);
  await Promise.all(h.lambda.runs);
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as { outcome: string; reason: string } };
}

const live = async (name: string) => (await fetch(`${h.consul.url}/v1/config/service-defaults/${name}`)).status;

describe('a signed push replayed under the delivery id of a real push still to come (webhook and reconcile functions)', () => {
  it('does not suppress the real delivery, and the replay is not run', async () => {
    const first = h.github.addCommit({ 'config-entries/web.hcl': WEB }, 'web', { branch: DEFAULT_BRANCH });
    const original = await signed('push', pushOf(first), { deliveryId: 'a1b2c3d4-0000-11f0-8000-000000000001' });
    expect((await send(original)).status).toBe(202);
    expect(await live('web')).toBe(200);

    // The attacker guesses the next id (GitHub's are time-based UUIDs) and sends the old body under it.
    const nextId = 'a1b2c3d4-0000-11f0-8000-000000000002';
    const invocationsBefore = h.lambda.invocations.length;
    const replay = await send({ headers: { ...original.headers, 'x-github-delivery': nextId }, body: original.body });
    // A new container cannot know the body; the reconcile function, reading Consul KV, does.
    expect(replay.status).toBe(202);
    expect(h.lambda.invocations.length).toBe(invocationsBefore + 1);
    const replayRun = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.correlation_id === nextId);
    expect(replayRun.find((l) => l.message === 'Reconcile finished')).toMatchObject({ outcome: 'duplicate' });

    // The real delivery under that id: another commit, another body.
    const second = h.github.addCommit({ 'config-entries/web.hcl': WEB, 'config-entries/api.hcl': API }, 'api', { branch: DEFAULT_BRANCH });
    const real = await signed('push', { ...pushOf(second), before: first }, { deliveryId: nextId });
    expect((await send(real)).status).toBe(202);
    expect(await live('api')).toBe(200);
    expect(h.github.statuses.filter((s) => s.sha === second).at(-1)).toMatchObject({ state: 'success' });
  });
});
