// Abuse through the production paths: deep nesting in every format (validate), entry names built to
// break paths and terminals (apply, plan, prune against the dev server), forged/re-signed/replayed
// webhooks, and every secret kept out of every log line, status, comment and issue in a `serve`
// run that walks the error paths (forged delivery, a tree with errors, Consul refusing a write,
// GitHub failing, a pull-request plan and the drift issue).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startServe, type ServeHandle } from '../../src/serve/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';
import { configPush, example, SECRET, signed } from '../functions/webhook/github-examples.ts';

describe('deep nesting', () => {
  const LEVELS = 50_000;
  it.each([
    ['json', `{"Kind":"service-defaults","Name":"a","Meta":{"x":${'{"a":'.repeat(LEVELS)}1${'}'.repeat(LEVELS)}}}`],
    ['hcl', `Kind = "service-defaults"\nName = "a"\nMeta = ${'{ a = '.repeat(LEVELS)}1${' }'.repeat(LEVELS)}\n`],
    ['yaml', `Kind: service-defaults\nName: a\nMeta: ${'['.repeat(LEVELS)}1${']'.repeat(LEVELS)}\n`],
  ])('%s nested 50,000 levels: "nested too deep" naming the file, nothing rendered', async (ext, text) => {
    const run = await runCli(['render'], tempTree({ [`config-entries/a.${ext}`]: text }));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^config-entries/a\\.${ext}:\\d+:\\d+: (the document is )?nest(ed|ing) too deep`));
    expect(run.stderr).not.toMatch(/call stack|RangeError/i);
  });
});

describe('entry names made to break paths and terminals', () => {
  let consul: DevServer;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => consul.close());

  const NAMES = ['a/b', 'a%2Fb', '..x', 'two words', 'bell\u0007', 'esc\u001b[2J'];

  it.each(['..', '.'])('%j cannot be addressed by /v1/config/<kind>/<name>: refused naming file, line and field, nothing written', async (name) => {
    const dir = tempTree({ 'config-entries/dots.json': `{\n  "Kind": "service-defaults",\n  "Name": ${JSON.stringify(name)}\n}\n` });
    const run = await runAgainst(consul.url, applyCommand, [], dir);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/config-entries\/dots\.json:3:\d+: Name: the name .* cannot be used in Consul's HTTP API path/);
    expect(await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()).toEqual([]);
  });

  it('each is applied as itself, plans no changes, is pruned as itself, and is printed escaped', async () => {
    const files: Record<string, string> = { 'config-entries/keep.hcl': 'Kind = "service-defaults"\nName = "keep"\nProtocol = "http"\n' };
    NAMES.forEach((name, i) => (files[`config-entries/n${i}.json`] = JSON.stringify({ Kind: 'service-defaults', Name: name, Protocol: 'http' })));
    const dir = tempTree(files);
    const apply = await runAgainst(consul.url, applyCommand, [], dir);
    const applyOut = apply.stdout + apply.stderr;
    // eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
    expect(applyOut).not.toMatch(/[\u0007\u001b]/);
    if (apply.code !== 0) {
      // Refusing is allowed, but only before any write, naming the file.
      expect(applyOut).toMatch(/config-entries\/n\d\.json/);
      expect(await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()).toEqual([]);
      return;
    }
    const live = ((await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()) as Array<{ Name: string }>).map((e) => e.Name).sort();
    expect(live).toEqual([...NAMES, 'keep'].sort());
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.code, plan.stdout).toBe(0);

    // Delete the tricky files: prune removes exactly those entries, never `keep` or `a` or `b`.
    const kept = tempTree({ 'config-entries/keep.hcl': files['config-entries/keep.hcl'] });
    const prune = await runAgainst(consul.url, applyCommand, ['--prune', '--allow-mass-delete'], kept);
    // eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
    expect(prune.stdout + prune.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(prune.code, prune.stdout + prune.stderr).toBe(0);
    const after = ((await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()) as Array<{ Name: string }>).map((e) => e.Name);
    expect(after).toEqual(['keep']);
  });
});

describe('webhooks and secrets through serve', () => {
  const GITHUB_TOKEN = 'ghp_abuseRunTOKEN-0123456789abcdefXYZ';
  const CONSUL_TOKEN = '5f2c1d8e-7a40-4c1b-9d6e-secret-consul-tok';
  let consul: DevServer;
  let github: GitHubDouble;
  let serve: ServeHandle;
  let logs: string[];
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1', aclToken: CONSUL_TOKEN });
    github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master', token: GITHUB_TOKEN });
    logs = [];
    serve = await startServe({
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_TOKEN,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        DEFAULT_BRANCH: 'master',
        CONSUL_HTTP_ADDR: consul.url,
        CONSUL_HTTP_TOKEN: CONSUL_TOKEN,
      },
      port: 0,
      host: '127.0.0.1',
      overrides: { github: { throttle: false, retries: 0 } },
      log: (l) => void logs.push(l),
      scheduleIntervalMs: 0,
    });
  });
  afterEach(async () => {
    await serve.close();
    await Promise.all([consul.close(), github.close()]);
  });

  const post = async (req: { headers: Record<string, string>; body: string }) => {
    const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
    return { status: res.status, text: await res.text() };
  };
  const pushOf = (sha: string) => Object.assign(configPush(), { after: sha });

  it('forged, re-signed with another secret, and replayed deliveries change nothing', async () => {
    const sha = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'api', {
      branch: 'master',
      date: '2026-11-25T10:00:00Z',
    });
    const genuine = await signed('push', pushOf(sha));
    const forged = { headers: { ...genuine.headers, 'x-github-delivery': 'forged-1' }, body: genuine.body.replace('"master"', '"masters"') };
    const resigned = await signed('push', pushOf(sha), { secret: 'an attacker’s own secret' });
    expect((await post(forged)).status).toBe(401);
    expect((await post(resigned)).status).toBe(401);
    expect((await post({ headers: { ...genuine.headers, 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, body: genuine.body })).status).toBe(401);
    await serve.idle();
    expect(github.statuses).toEqual([]);
    expect((await post(genuine)).status).toBe(202);
    await serve.idle();
    // The same signed delivery replayed: once as is, once under a new delivery id (the id is not signed: the body is the key).
    expect((await post(genuine)).status).toBe(200);
    const replay = { headers: { ...genuine.headers, 'x-github-delivery': 'replayed-with-new-id' }, body: genuine.body };
    expect((await post(replay)).status).toBe(200);
    await serve.idle();
    // A newer commit, then the captured older delivery replayed: refused as stale, Consul keeps the newer.
    const newer = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n' }, 'grpc', {
      branch: 'master',
      date: '2026-11-25T11:00:00Z',
    });
    expect((await post(await signed('push', pushOf(newer)))).status).toBe(202);
    await serve.idle();
    expect((await post({ headers: { ...genuine.headers, 'x-github-delivery': 'replayed-late' }, body: genuine.body })).status).toBe(200);
    await serve.idle();
    const live = (await (await fetch(`${consul.url}/v1/config/service-defaults/api`, { headers: { 'x-consul-token': CONSUL_TOKEN } })).json()) as {
      Protocol: string;
    };
    expect(live.Protocol).toBe('grpc');
    expect(github.statuses.filter((s) => s.sha === sha).at(-1)).toMatchObject({ state: 'success' });
  });

  it('no secret in any log line, status, comment or issue across the error paths', async () => {
    const secrets = [GITHUB_TOKEN, CONSUL_TOKEN, SECRET];
    // 1. A tree with errors.
    const bad = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = \n' }, 'broken', {
      branch: 'master',
      date: '2026-11-25T09:00:00Z',
    });
    await post(await signed('push', pushOf(bad)));
    await serve.idle();
    // 2. Consul refuses a write (validation), the rest applies.
    const refused = github.addCommit(
      {
        'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
        'config-entries/router.hcl': 'Kind = "service-router"\nName = "tcp-only"\nRoutes = [{ Match { HTTP { PathPrefix = "/x" } } }]\n',
      },
      'router on a tcp service',
      { branch: 'master', date: '2026-11-25T10:00:00Z' },
    );
    await post(await signed('push', pushOf(refused)));
    await serve.idle();
    // 3. GitHub fails while reading the next commit.
    const unreadable = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n' }, 'grpc', {
      branch: 'master',
      date: '2026-11-25T11:00:00Z',
    });
    github.fail({ path: /\/git\/trees\//, status: 500, body: { message: `upstream echo: token ${GITHUB_TOKEN}` }, times: 1 });
    await post(await signed('push', pushOf(unreadable)));
    await serve.idle();
    // 4. A pull request plan comment.
    const number = github.addPullRequest({
      head: 'pr-branch',
      files: { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http2"\n' },
    });
    const pr = example('pull_request', (p) => p.action === 'opened');
    pr.number = number;
    pr.pull_request.number = number;
    pr.pull_request.head.sha = github.refSha('pr-branch')!;
    pr.pull_request.base.ref = 'master';
    await post(await signed('pull_request', pr));
    // 5. A forged delivery carrying the secret in its body.
    await post({
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'x', 'x-hub-signature-256': `sha256=${'a'.repeat(64)}` },
      body: JSON.stringify({ secret: SECRET }),
    });
    await serve.idle();
    await vi.waitFor(() => expect(github.comments.length).toBeGreaterThan(0), { timeout: 5_000 });

    const everything = [
      ...logs,
      ...github.statuses.map((s) => JSON.stringify(s)),
      ...github.comments.map((c) => c.body),
      ...github.issues.map((i) => `${i.title}\n${i.body}`),
      ...github.requests.map((r) => JSON.stringify(r.body ?? '')),
    ].join('\n');
    expect(logs.some((l) => /"level":"ERROR"/.test(l))).toBe(true); // the error paths did run
    expect(github.statuses.some((s) => s.state === 'failure' || s.state === 'error')).toBe(true);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
