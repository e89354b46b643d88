// One LOG_LEVEL behaviour for the Lambda functions and `serve`: a value that is not a level does not
// stop either (a Lambda would fail every invocation over a typo); both log at INFO and say so once,
// in one WARN line naming the value given and the level used. Driven through the webhook handler,
// the plans handler and `startServe`.
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createPlansHandler } from '../../functions/plans/handler.ts';
import { startServe, type ServeHandle } from '../../src/serve/server.ts';
import { example, SECRET, signed } from '../functions/webhook/github-examples.ts';

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const warning = (given: string) =>
  expect.objectContaining({
    level: 'WARN',
    message: `LOG_LEVEL ${JSON.stringify(given)} is not valid (expected debug, info, warn or error); using info`,
    variable: 'LOG_LEVEL',
  });

describe('a LOG_LEVEL that is not a level, in a Lambda function', () => {
  it('the webhook starts, answers, logs at INFO, and says so once in a WARN', async () => {
    const logs: string[] = [];
    const handler = createHandler({
      env: { RECONCILE_FUNCTION_NAME: 'r', GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_REPOSITORY: 'Codertocat/Hello-World', LOG_LEVEL: 'verbose' },
      log: (l) => logs.push(l),
    });
    for (let i = 0; i < 2; i++) {
      const req = await signed('ping', example('ping'));
      expect((await handler({ headers: req.headers, body: req.body, isBase64Encoded: false } as never)).statusCode).toBe(200);
    }
    expect(parse(logs)).toEqual([
      warning('verbose'),
      expect.objectContaining({ level: 'INFO', message: 'Webhook answered', status: 200 }),
      expect.objectContaining({ level: 'INFO', message: 'Webhook answered', status: 200 }),
    ]);
  });

  it('the plans function too; a good level (any case) gives no warning', async () => {
    const logs: string[] = [];
    createPlansHandler({ env: { LOG_LEVEL: 'informational' }, log: (l) => logs.push(l) });
    expect(parse(logs)).toEqual([warning('informational')]);
    logs.length = 0;
    createHandler({ env: { RECONCILE_FUNCTION_NAME: 'r', LOG_LEVEL: 'Warn' }, log: (l) => logs.push(l) });
    expect(logs).toEqual([]);
  });
});

describe('a LOG_LEVEL that is not a level, in serve', () => {
  let serve: ServeHandle | undefined;
  afterEach(async () => {
    await serve?.close();
  });

  it('starts, logs at INFO, and says so once in a WARN (it refused to start before)', async () => {
    const logs: string[] = [];
    serve = await startServe({
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_TOKEN: 'ghp_logLevelTOKEN0123456789',
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        CONSUL_HTTP_ADDR: 'http://127.0.0.1:1',
        LOG_LEVEL: 'loud',
      },
      port: 0,
      host: '127.0.0.1',
      log: (l) => logs.push(l),
      scheduleIntervalMs: 0,
    });
    const req = await signed('ping', example('ping'));
    expect((await fetch(`${serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body })).status).toBe(200);
    const lines = parse(logs);
    expect(lines[0]).toEqual(warning('loud'));
    expect(lines.filter((l) => l.level === 'WARN')).toHaveLength(1);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Webhook answered', status: 200 }));
  });
});
