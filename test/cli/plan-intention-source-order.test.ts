// `consul-gitops plan` through the CLI's main() against the dev server, when only the order of an
// intention's Sources differs between Git and Consul. Consul stable-sorts Sources by precedence on
// write and keeps the order given among sources of equal precedence; that order means nothing:
// enforcement sorts by precedence and breaks ties by name, "by definition the order among
// same-precedence rules is arbitrary and doesn't affect whether an allow or deny rule is acted on
// since all applicable rules are checked" (Consul agent/structs/intention.go,
// IntentionPrecedenceSorter). Before, such an entry planned as an update that showed no difference
// (`# (2 unchanged attributes hidden)`), and the drift check called it drift.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerTest();
/** A write behind consul-gitops' back, which Consul accepts. */
async function put(entry: Record<string, unknown>): Promise<void> {
  expect(await consul.put(entry)).toBe('true');
}

const FILE = 'config-entries/api-intentions.hcl';
const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': FILE };
const source = (name: string, action: string) => `  {\n    Name   = "${name}"\n    Action = "${action}"\n  },\n`;
const intentions = (...sources: string[]) => `Kind = "service-intentions"\nName = "api"\nSources = [\n${sources.join('')}]\n`;
const plan = (dir: string, ...extra: string[]) => runCli(['plan', '--consul', consul.url, '--detailed-exitcode', ...extra], dir);

async function applied(hcl: string): Promise<string> {
  const dir = tempTree({ [FILE]: hcl });
  const run = await runCli(['apply', '--consul', consul.url, '--auto-approve'], dir);
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

describe('plan: intention Sources in another order', () => {
  it('sources of equal precedence reordered by hand in Consul: no changes, exit 0', async () => {
    const dir = await applied(intentions(source('web', 'allow'), source('db', 'deny'), source('*', 'deny')));
    await put({
      Kind: 'service-intentions',
      Name: 'api',
      Sources: [
        { Name: 'db', Action: 'deny' },
        { Name: 'web', Action: 'allow' },
        { Name: '*', Action: 'deny' },
      ],
      Meta: OURS,
    });
    // Consul kept the order given (a stable sort by precedence): the order differs from Git's.
    const stored = (await (await fetch(`${consul.url}/v1/config/service-intentions/api`)).json()) as { Sources: { Name: string }[] };
    expect(stored.Sources.map((s) => s.Name)).toEqual(['db', 'web', '*']);

    const text = await plan(dir);
    expect(text.stdout).toContain('No changes. Consul matches the files.');
    expect(text.code).toBe(0);
    const json = JSON.parse((await plan(dir, '--json')).stdout);
    expect(json.summary).toMatchObject({ update: 0, matchesGit: true });
  });

  it('the file reorders them (the wildcard written first): no changes either', async () => {
    const dir = await applied(intentions(source('web', 'allow'), source('db', 'deny'), source('*', 'deny')));
    writeFileSync(join(dir, FILE), intentions(source('*', 'deny'), source('db', 'deny'), source('web', 'allow')));
    const text = await plan(dir);
    expect(text.stdout).toContain('No changes. Consul matches the files.');
    expect(text.code).toBe(0);
  });

  it('pin: a reorder together with a real change shows the change, element by element', async () => {
    const dir = await applied(intentions(source('web', 'allow'), source('db', 'deny')));
    await put({
      Kind: 'service-intentions',
      Name: 'api',
      Sources: [
        { Name: 'db', Action: 'allow' },
        { Name: 'web', Action: 'allow' },
      ],
      Meta: OURS,
    });
    const text = await plan(dir);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/Name\s+= "db"\n\s+~ Action = "allow" → "deny"/);
    expect(text.stdout).not.toMatch(/Name\s+= "web"\n\s+~ Action/);
  });
});
