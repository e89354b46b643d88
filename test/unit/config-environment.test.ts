// One definition per environment variable: every entry point (the webhook, schedule and reconcile
// functions, `serve`, `advise --open-prs`) accepts and refuses the same values of a variable they
// share, and gives it the same default. Each is driven through its own production path.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';
import { buildRuntime } from '../../src/runtime/build-runtime.ts';
import { serveSettings } from '../../src/serve/settings.ts';
import { repositoryFromEnv } from '../../src/cli/advise-open-prs.ts';
import { VARIABLES } from '../../src/config/environment.ts';
import { example, SECRET, signed } from '../functions/webhook/github-examples.ts';

type Env = Record<string, string>;
/** `ok`, or the names of the variables the entry point refused. */
type Verdict = 'ok' | 'refused';

const refusedFor = (variable: string, error: unknown): Verdict => {
  if (error instanceof Error && error.message.includes(variable)) return 'refused';
  throw error;
};

const entryPoints: Record<string, (env: Env, variable: string) => Promise<Verdict>> = {
  async webhook(env, variable) {
    const handler = createHandler({
      env: { RECONCILE_FUNCTION_NAME: 'reconcile', GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_REPOSITORY: 'acme/mesh', ...env },
      log: () => {},
    });
    return handler({ headers: (await signed('ping', example('ping'))).headers, body: JSON.stringify(example('ping')) } as never).then(
      () => 'ok' as const,
      (e: unknown) => refusedFor(variable, e),
    );
  },
  async schedule(env, variable) {
    const lambda = { send: async () => ({ StatusCode: 202 }) } as never;
    return createScheduleHandler({ env: { RECONCILE_FUNCTION_NAME: 'reconcile', GITHUB_REPOSITORY: 'acme/mesh', ...env }, lambda, log: () => {} })({
      id: 'e',
    }).then(
      () => 'ok' as const,
      (e: unknown) => refusedFor(variable, e),
    );
  },
  async reconcile(env, variable) {
    try {
      void buildRuntime({ GITHUB_TOKEN: 'ghp_x0123456789', ...env }).close();
      return 'ok';
    } catch (e) {
      return refusedFor(variable, e);
    }
  },
  async serve(env, variable) {
    try {
      serveSettings({ GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: 'ghp_x0123456789', GITHUB_REPOSITORY: 'acme/mesh', ...env });
      return 'ok';
    } catch (e) {
      return refusedFor(variable, e);
    }
  },
  async 'advise --open-prs'(env, variable) {
    try {
      repositoryFromEnv({ GITHUB_REPOSITORY: 'acme/mesh', ...env });
      return 'ok';
    } catch (e) {
      return refusedFor(variable, e);
    }
  },
};

/** Which entry points read each shared variable, and values to try (good and bad). */
const shared: Record<string, { readers: string[]; values: string[] }> = {
  GITHUB_REPOSITORY: {
    readers: ['webhook', 'schedule', 'reconcile', 'serve', 'advise --open-prs'],
    values: ['acme/mesh', 'my-org/repo.name_2', 'ac:me/mesh', 'acme/mesh/extra', 'acme', 'a b/c'],
  },
  DELIVERY_MEMORY: { readers: ['webhook', 'serve'], values: ['5', '1000', '0', '1e3', '-1', 'lots'] },
  GITHUB_API_URL: { readers: ['reconcile', 'serve'], values: ['https://ghe.example.com/api/v3', 'http://127.0.0.1:9', 'ftp://x', 'ghe.example.com'] },
  PRUNE: { readers: ['reconcile', 'serve'], values: ['true', 'off', 'perhaps'] },
  TARGETS: { readers: ['webhook', 'schedule'], values: ['dc1', 'dc1, dc2', ','] },
};

describe('environment variables shared by entry points', () => {
  for (const [variable, { readers, values }] of Object.entries(shared)) {
    it(`${variable}: every entry point accepts and refuses the same values`, async () => {
      for (const value of values) {
        const verdicts: Record<string, Verdict> = {};
        for (const reader of readers) verdicts[reader] = await entryPoints[reader]({ [variable]: value }, variable);
        expect({ value, verdicts }).toEqual({ value, verdicts: Object.fromEntries(readers.map((r) => [r, verdicts[readers[0]]])) });
      }
    });
  }

  it('DEFAULT_BRANCH and CONFIG_DIR default to main and config-entries everywhere', async () => {
    const s = serveSettings({ GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: 'ghp_x0123456789', GITHUB_REPOSITORY: 'acme/mesh' });
    expect([s.route.branch, s.route.configDir, s.runtime.defaultBranch, s.runtime.targets.targets[0].dir]).toEqual([
      'main',
      'config-entries',
      'main',
      'config-entries',
    ]);
    const invoked: { Payload?: Uint8Array }[] = [];
    const lambda = { send: async (c: { input: { Payload?: Uint8Array } }) => (invoked.push(c.input), { StatusCode: 202 }) } as never;
    await createScheduleHandler({ env: { RECONCILE_FUNCTION_NAME: 'r', GITHUB_REPOSITORY: 'acme/mesh' }, lambda, log: () => {} })({ id: 'e' });
    expect(JSON.parse(Buffer.from(invoked[0].Payload!).toString())).toMatchObject({ branch: 'main' });
  });

  it('every variable is documented once', () => {
    const names = VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of VARIABLES) expect(v.doc.length).toBeGreaterThan(10);
  });
});
