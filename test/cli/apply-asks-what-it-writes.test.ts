// "Does this change send a write" had six definitions (apply's, the CLI's question, the reviewed plan,
// --only's notice, the warnings' state, the record); the CLI's counted an update that would drop
// fields unknown to consul-gitops, which apply does not write without --allow-field-loss, so a person
// was asked "apply these 2 changes?" and apply wrote one. src/core/plan/writes.ts is the one answer
// now. Through main() at a pseudo-terminal (as test/e2e/apply-confirm.test.ts): the number asked is
// the number of entries apply then writes, for a create, an update needing --adopt, an update that
// would lose a field, an unchanged entry, and with each flag that lets more through.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import type { DevServer } from '../../src/dev-server/server.ts';
import { tempTree } from '../support/run-cli.ts';
import { devServerHolding } from '../support/dev-server-holding.ts';

const OWNED = (file: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${file}` });
let server: DevServer;
beforeEach(async () => {
  server = await devServerHolding([
    // Ours, with a field a newer Consul keeps: the file's update would drop it.
    { Kind: 'service-defaults', Name: 'web', Protocol: 'http', FutureKnob: { Level: 3 }, Meta: OWNED('web.hcl') },
    // Another tool's: written only with --adopt.
    { Kind: 'service-defaults', Name: 'legacy', Protocol: 'http' },
    // Ours and as the file says: nothing to write.
    { Kind: 'service-defaults', Name: 'same', Protocol: 'http', Meta: OWNED('same.hcl') },
  ]);
});
afterEach(async () => {
  await server.close();
});

const sd = (name: string, protocol: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "${protocol}"\n`;

async function applyAtTerminal(args: string[]): Promise<{ asked: string; code: number; written: string[] }> {
  const cwd = tempTree({
    'config-entries/api.hcl': sd('api', 'http'),
    'config-entries/web.hcl': sd('web', 'grpc'),
    'config-entries/legacy.hcl': sd('legacy', 'grpc'),
    'config-entries/same.hcl': sd('same', 'http'),
  });
  const before = await snapshot();
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let stdout = '';
  const io = {
    stdout: {
      isTTY: true,
      write: (s: string) => {
        stdout += s;
        if (s.includes("Only 'yes' will be accepted")) setImmediate(() => stdin.write('yes\n'));
        return true;
      },
    },
    stderr: { write: () => true },
    stdin,
    cwd,
  };
  const code = await main(['apply', '--consul', server.url, ...args], io);
  const after = await snapshot();
  const written = [...after.keys()].filter((k) => after.get(k) !== before.get(k)).sort();
  return { asked: /Do you want to apply (this change|these \d+ changes)\?/.exec(stdout)?.[1] ?? '(not asked)', code, written };
}

/** Each service-defaults entry's ModifyIndex: what a write changes. */
async function snapshot(): Promise<Map<string, number>> {
  const list = (await (await fetch(`${server.url}/v1/config/service-defaults`)).json()) as { Name: string; ModifyIndex: number }[];
  return new Map(list.map((e) => [e.Name, e.ModifyIndex]));
}

it('asks about the one create apply writes, not the update that would lose a field nor the one needing --adopt', async () => {
  const run = await applyAtTerminal([]);
  expect(run).toMatchObject({ asked: 'this change', code: 1, written: ['api'] });
});

it('with --allow-field-loss, asks about the two it writes', async () => {
  const run = await applyAtTerminal(['--allow-field-loss']);
  // Exit 1: legacy is left as another tool has it (apply says so), as without the flag.
  expect(run).toMatchObject({ asked: 'these 2 changes', code: 1, written: ['api', 'web'] });
});

it('with --adopt and --allow-field-loss, asks about the three it writes', async () => {
  const run = await applyAtTerminal(['--adopt', '--allow-field-loss']);
  expect(run).toMatchObject({ asked: 'these 3 changes', code: 0, written: ['api', 'legacy', 'web'] });
});
