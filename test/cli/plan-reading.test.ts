// `consul-gitops plan` as a user reads it, through the CLI's main() against the dev server over
// loopback: nested values line by line (golden files), changes made by hand after the last
// recorded apply labelled `changed outside consul-gitops`, and `plan --json` valid against the
// documented schema (docs/plan-schema.json).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { TEST_CERT, TEST_KEY } from '../fixtures/certs.ts';

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await server.close();
});

const FIXTURES = new URL('../fixtures/plans/', import.meta.url);
function golden(name: string, actual: string): void {
  const url = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(url)) writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

const schema = z.fromJSONSchema(JSON.parse(readFileSync(new URL('../../docs/plan-schema.json', import.meta.url), 'utf8')));

const API = 'config-entries/api.hcl';
const INTENTIONS = 'config-entries/api-intentions.hcl';
const WEB = 'config-entries/web.yaml';
const files = {
  [API]:
    'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\nTransparentProxy {\n  DialedDirectly = false\n}\nMeta {\n  team = "payments"\n}\n',
  [INTENTIONS]:
    '# who may call api\nKind = "service-intentions"\nName = "api"\nSources = [\n  { Name = "web", Action = "allow" },\n  { Name = "*", Action = "deny" },\n]\n',
  [WEB]: 'Kind: service-defaults\nName: web\nProtocol: http\n---\n# the database\nKind: service-defaults\nName: db\nProtocol: tcp\n',
};

const plan = (dir: string, ...extra: string[]) => runCli(['plan', '--consul', server.url, ...extra], dir);

async function putEntry(kind: string, name: string, change: Record<string, unknown>): Promise<void> {
  const live = (await (await fetch(`${server.url}/v1/config/${kind}/${name}`)).json()) as Record<string, unknown>;
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ ...live, ...change }) });
  expect(await res.text()).toBe('true');
}

describe('plan, read by a person and by a tool', () => {
  it('prints creates as the files say them: nested values line by line, no Precedence or Type, each with its file and line', async () => {
    const dir = tempTree(files);
    const run = await plan(dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    golden('cli-create.txt', run.stdout);
  });

  it('labels what was changed by hand since the last apply, and only that', async () => {
    const dir = tempTree(files);
    const applied = await runCli(['apply', '--consul', server.url, '--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'], dir);
    expect(applied.code).toBe(0);
    // Someone changes api by hand; the repository changes web's protocol in a new commit.
    await putEntry('service-defaults', 'api', { MaxInboundConnections: 50, TransparentProxy: { DialedDirectly: true } });
    writeFileSync(`${dir}/${WEB}`, files[WEB].replace('Protocol: http', 'Protocol: grpc'));

    const text = await plan(dir);
    expect(text.stderr).toBe('');
    golden('cli-drift.txt', text.stdout);
    expect(text.stdout).toContain('~ update service-defaults/api  (config-entries/api.hcl:1)  [changed outside consul-gitops]');
    expect(text.stdout).toMatch(/~ update service-defaults\/web {2}\(config-entries\/web\.yaml:1\)\n/);

    const json = await plan(dir, '--json');
    const doc = JSON.parse(json.stdout) as {
      formatVersion: number;
      summary: Record<string, number>;
      changes: { action: string; id: { name: string }; source?: string; line?: number; changedOutside: boolean }[];
    };
    expect(schema.safeParse(doc).error).toBeUndefined();
    expect(doc.formatVersion).toBe(1);
    expect(doc.summary).toMatchObject({ update: 2, changedOutside: 1 });
    const updates = doc.changes
      .filter((c) => c.action === 'update')
      .map((c) => ({ name: c.id.name, source: c.source, line: c.line, changedOutside: c.changedOutside }));
    expect(updates).toEqual([
      { name: 'api', source: API, line: 1, changedOutside: true },
      { name: 'web', source: WEB, line: 1, changedOutside: false },
    ]);
  });

  it('names nothing as changed outside when no apply was ever recorded', async () => {
    const dir = tempTree(files);
    expect((await runCli(['apply', '--consul', server.url], dir)).code).toBe(0); // no --commit: nothing recorded
    await putEntry('service-defaults', 'api', { MaxInboundConnections: 50 });
    const text = await plan(dir);
    expect(text.stdout).toContain('~ MaxInboundConnections = 50 → 0');
    expect(text.stdout).not.toContain('changed outside');
  });

  it('prints JSON that the documented schema accepts, and the schema is strict enough to refuse a wrong one', async () => {
    const dir = tempTree(files);
    const run = await plan(dir, '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { changes: Record<string, unknown>[] };
    expect(schema.safeParse(doc).error).toBeUndefined();
    const intentions = doc.changes.find((c) => (c.id as { kind: string }).kind === 'service-intentions')!;
    expect(intentions).toMatchObject({ action: 'create', source: INTENTIONS, line: 1 });
    // The second document of a YAML file: its own line.
    expect(doc.changes.find((c) => (c.id as { name: string }).name === 'db')).toMatchObject({ source: WEB, line: 6 });
    // The same tree the text prints: Sources element by element, without Precedence.
    expect(JSON.stringify(intentions.attributes)).not.toContain('Precedence');
    expect(intentions.attributes).toContainEqual({
      op: 'add',
      key: 'Sources',
      value: [
        { Name: 'web', Action: 'allow' },
        { Name: '*', Action: 'deny' },
      ],
    });

    expect(schema.safeParse({ ...doc, formatVersion: 2 }).success).toBe(false);
    expect(schema.safeParse({ ...doc, changes: [{ ...doc.changes[0], line: 'one' }] }).success).toBe(false);
    expect(schema.safeParse({ ...doc, changes: [{ ...doc.changes[0], undocumented: true }] }).success).toBe(false);
  });

  it('never prints a private key: the text and JSON plans show (sensitive value)', async () => {
    // A real pair: Consul (and validate) parse the certificate and match the key.
    const key = TEST_KEY.split('\n')[1];
    const entry = { Kind: 'inline-certificate', Name: 'gateway-cert', Certificate: TEST_CERT, PrivateKey: TEST_KEY };
    const dir = tempTree({ 'config-entries/cert.json': JSON.stringify(entry) });
    const text = await plan(dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('+ PrivateKey  = (sensitive value)');
    expect(text.stdout).toContain('+ Certificate = "-----BEGIN CERTIFICATE-----');
    const json = await plan(dir, '--json');
    expect(schema.safeParse(JSON.parse(json.stdout)).error).toBeUndefined();
    expect(json.stdout).toContain('"PrivateKey": "(sensitive value)"');
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(out).not.toContain(key);
  });
});
