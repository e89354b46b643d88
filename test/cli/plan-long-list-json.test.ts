// `plan` of a router whose routes all changed, too many to match element by element: the text says
// it compared them position by position, and `plan --json` stays valid against the documented schema
// (docs/plan-schema.json), so a tool reading the plan is not broken by the note.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
});

const schema = z.fromJSONSchema(JSON.parse(readFileSync(new URL('../../docs/plan-schema.json', import.meta.url), 'utf8')));
// 2,001 routes become 2,002 others (lists of one length are compared position by position anyway):
// 2,001 × 2,002 pairs, just past the plan's budget for matching a list's middle.
const ROUTES = 2_001;
const router = (prefix: string, n: number) =>
  JSON.stringify({
    Kind: 'service-router',
    Name: 'web',
    Routes: Array.from({ length: n }, (_, i) => ({ Match: { HTTP: { PathPrefix: `/${prefix}${i}` } }, Destination: { Service: 'web' } })),
  });

it('says a long list was compared position by position, in text and in schema-valid JSON', async () => {
  const defaults = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
  const dir = tempTree({ 'config-entries/web.hcl': defaults, 'config-entries/web-router.json': router('old', ROUTES) });
  expect((await runCli(['apply', '--auto-approve', '--consul', server.url], dir)).code).toBe(0);

  const changed = tempTree({ 'config-entries/web.hcl': defaults, 'config-entries/web-router.json': router('new', ROUTES + 1) });
  const text = await runCli(['plan', '--consul', server.url], changed);
  expect(text.stderr).toBe('');
  expect(text.stdout).toContain(`# (compared position by position: ${ROUTES} elements before and ${ROUTES + 1} after differ, too many to match)`);

  const json = await runCli(['plan', '--json', '--consul', server.url], changed);
  const doc = JSON.parse(json.stdout) as { changes: unknown[] };
  expect(schema.safeParse(doc).error).toBeUndefined();
  expect(JSON.stringify(doc.changes)).toContain(`"positional":{"before":${ROUTES},"after":${ROUTES + 1}}`);
});
