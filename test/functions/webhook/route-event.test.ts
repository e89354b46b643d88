import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, routeEvent, routeWebhook, touchesConfigDir, type RouteConfig } from '../../../src/app/webhook/route-event.ts';
import { ReconcileRequest } from '../../../src/app/reconcile-request.ts';
import { SECRET, branchPush, configPush, example, signed } from './github-examples.ts';

const config: RouteConfig = { secret: SECRET, branch: 'master', configDir: 'config-entries', repository: 'Codertocat/Hello-World' };

describe('routeWebhook: signature and size', () => {
  it('accepts a correctly signed real push that touches config entries', async () => {
    const request = await signed('push', configPush(), { deliveryId: 'd-1' });
    const decision = await routeWebhook(request, config);
    expect(decision.status).toBe(202);
    expect(decision.body).toMatchObject({ outcome: 'accepted', event: 'push', deliveryId: 'd-1' });
    expect(decision.invoke).toEqual({
      repository: { owner: 'Codertocat', name: 'Hello-World' },
      sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      ref: 'refs/heads/master',
      deliveryId: 'd-1',
      mode: 'apply',
    });
    expect(ReconcileRequest.parse(decision.invoke)).toEqual(decision.invoke);
  });

  it('rejects a tampered body with 401 and decides nothing else', async () => {
    const request = await signed('push', configPush());
    const tampered = { ...request, body: request.body.replace('Codertocat', 'Attacker') };
    const decision = await routeWebhook(tampered, config);
    expect(decision).toEqual({ status: 401, body: { outcome: 'rejected', reason: 'signature missing or invalid' } });
  });

  it('rejects a body signed with another secret', async () => {
    const request = await signed('push', configPush(), { secret: 'not the secret' });
    expect((await routeWebhook(request, config)).status).toBe(401);
  });

  it('rejects a missing or non-sha256 signature', async () => {
    const request = await signed('ping', example('ping'));
    const { 'x-hub-signature-256': _omitted, ...unsigned } = request.headers;
    expect((await routeWebhook({ ...request, headers: unsigned }, config)).status).toBe(401);
    const sha1 = { ...request.headers, 'x-hub-signature-256': 'sha1=0123' };
    expect((await routeWebhook({ ...request, headers: sha1 }, config)).status).toBe(401);
  });

  it('never puts the secret in a decision', async () => {
    const decisions = [
      await routeWebhook(await signed('push', configPush()), config),
      await routeWebhook(await signed('push', configPush(), { secret: 'wrong' }), config),
      await routeWebhook({ headers: {}, body: '' }, config),
    ];
    for (const d of decisions) expect(JSON.stringify(d)).not.toContain(SECRET);
  });

  it('answers 413 to a body over 25 MB, before checking the signature', async () => {
    const body = JSON.stringify({ zen: 'x'.repeat(MAX_BODY_BYTES) });
    const decision = await routeWebhook({ headers: { 'x-github-event': 'ping' }, body }, config);
    expect(decision.status).toBe(413);
    expect(decision.invoke).toBeUndefined();
  });

  it('matches header names in any case', async () => {
    const request = await signed('ping', example('ping'));
    const upper = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect((await routeWebhook({ ...request, headers: upper }, config)).status).toBe(200);
  });

  it('reads form-encoded deliveries (payload=<json>), signed over the form body', async () => {
    const form = `payload=${encodeURIComponent(JSON.stringify(configPush()))}`;
    const request = await signed('push', {}, { deliveryId: 'd-form' });
    const { sign } = await import('@octokit/webhooks-methods');
    const headers = { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-hub-signature-256': await sign(SECRET, form) };
    const decision = await routeWebhook({ headers, body: form }, config);
    expect(decision.invoke?.sha).toBe('6113728f27ae82c7b1a177c8d03f9e96e0adf246');
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    const { sign } = await import('@octokit/webhooks-methods');
    const body = 'not json';
    const headers = { 'x-github-event': 'push', 'x-github-delivery': 'd', 'x-hub-signature-256': await sign(SECRET, body) };
    expect((await routeWebhook({ headers, body }, config)).status).toBe(400);
  });
});

describe('routeEvent: ping and unknown events', () => {
  it('answers ping with 200', async () => {
    const decision = await routeWebhook(await signed('ping', example('ping')), config);
    expect(decision.status).toBe(200);
    expect(decision.body.outcome).toBe('pong');
    expect(decision.invoke).toBeUndefined();
  });

  it('acknowledges an unknown event with 202 and ignores it', async () => {
    const decision = await routeWebhook(await signed('issues', example('issues')), config);
    expect(decision).toMatchObject({ status: 202, body: { outcome: 'ignored', event: 'issues' } });
    expect(decision.invoke).toBeUndefined();
  });
});

describe('routeEvent: push', () => {
  const push = (payload: unknown, overrides: Partial<RouteConfig> = {}) =>
    routeEvent({ name: 'push', deliveryId: 'd-2', payload }, { ...config, ...overrides });

  it('ignores a tag push, saying why', () => {
    const decision = push(example('push', (p) => p.ref.startsWith('refs/tags/') && !p.deleted));
    expect(decision).toMatchObject({ status: 202, body: { outcome: 'ignored', reason: 'tag push (refs/tags/simple-tag) is not deployed' } });
    expect(decision.invoke).toBeUndefined();
  });

  it('ignores a push to another branch, saying why', () => {
    const decision = push(configPush(), { branch: 'main' });
    expect(decision.body.reason).toBe('push to refs/heads/master, not to the target branch refs/heads/main');
    expect(decision.invoke).toBeUndefined();
  });

  it('ignores a push that changes nothing under config-entries/', () => {
    const decision = push(branchPush()); // the real payload changes README.md only
    expect(decision).toMatchObject({ status: 202, body: { outcome: 'ignored', reason: 'push changes nothing under config-entries/' } });
    expect(decision.invoke).toBeUndefined();
  });

  it('reconciles when the file list is unknown', () => {
    const payload = branchPush();
    delete payload.commits;
    const decision = push(payload);
    expect(decision.body).toMatchObject({ outcome: 'accepted', reason: 'reconcile started (changed files unknown)' });
    expect(decision.invoke?.mode).toBe('apply');
  });

  it('counts added and removed files under the config directory, and honours CONFIG_DIR', () => {
    const added = branchPush();
    added.commits[0].added.push('mesh/config-entries/mesh.hcl');
    expect(push(added, { configDir: 'mesh/config-entries/' }).invoke).toBeDefined();
    expect(push(added).invoke).toBeUndefined(); // not under the top-level config-entries/
    const removed = branchPush();
    removed.commits[0].removed.push('config-entries/old.yaml');
    expect(push(removed).invoke).toBeDefined();
  });

  it('ignores the deletion of the target branch', () => {
    const payload = configPush();
    payload.deleted = true;
    payload.after = '0000000000000000000000000000000000000000';
    expect(push(payload).body.reason).toBe('refs/heads/master was deleted; nothing to apply');
  });

  it('ignores another repository when one is configured', () => {
    expect(push(configPush(), { repository: 'acme/mesh' }).invoke).toBeUndefined();
    expect(push(configPush(), { repository: 'codertocat/hello-world' }).invoke).toBeDefined();
  });

  it('passes the target through', () => {
    expect(push(configPush(), { target: 'prod-eu' }).invoke?.target).toBe('prod-eu');
  });

  it('answers 400 to a push it must act on without a delivery id', () => {
    const decision = routeEvent({ name: 'push', deliveryId: undefined, payload: configPush() }, config);
    expect(decision.status).toBe(400);
  });
});

describe('routeEvent: pull_request', () => {
  const pr = (action: string) => {
    const payload = example('pull_request', (p) => p.action === action);
    return routeEvent({ name: 'pull_request', deliveryId: 'd-3', payload }, config);
  };

  it.each(['opened', 'reopened', 'synchronize'])('plans the head commit when a pull request is %s', (action) => {
    const decision = pr(action);
    expect(decision.status).toBe(202);
    expect(decision.invoke).toMatchObject({
      repository: { owner: 'Codertocat', name: 'Hello-World' },
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      ref: 'refs/pull/2/head',
      deliveryId: 'd-3',
      mode: 'plan',
      pullRequest: { number: 2, headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' },
    });
  });

  it.each(['closed', 'labeled', 'assigned'])('ignores a pull request %s', (action) => {
    const decision = pr(action);
    expect(decision).toMatchObject({ status: 202, body: { outcome: 'ignored' } });
    expect(decision.invoke).toBeUndefined();
  });

  it('ignores a pull request into another branch', () => {
    const payload = example('pull_request', (p) => p.action === 'synchronize');
    payload.pull_request.base.ref = 'release';
    const decision = routeEvent({ name: 'pull_request', deliveryId: 'd-4', payload }, config);
    expect(decision.body.reason).toBe('pull request targets release, not the target branch master');
  });
});

describe('touchesConfigDir', () => {
  it('treats an empty or possibly truncated commit list as unknown', () => {
    expect(touchesConfigDir({ commits: [] }, 'config-entries')).toBe('unknown');
    const many = Array.from({ length: 20 }, () => ({ added: [], modified: ['README.md'], removed: [] }));
    expect(touchesConfigDir({ commits: many }, 'config-entries')).toBe('unknown');
    expect(touchesConfigDir({ commits: many.slice(1) }, 'config-entries')).toBe('no');
  });

  it('does not match a sibling directory with the same prefix', () => {
    const commits = [{ added: ['config-entries-old/a.hcl'], modified: [], removed: [] }];
    expect(touchesConfigDir({ commits }, 'config-entries')).toBe('no');
  });

  it('treats a config directory of "." as the whole repository', () => {
    const commits = [{ added: ['README.md'], modified: [], removed: [] }];
    expect(touchesConfigDir({ commits }, '.')).toBe('yes');
  });
});
