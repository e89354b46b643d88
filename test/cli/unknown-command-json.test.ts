// An unknown command with --json (a typo in a script, `consul-gitops plam --json`), through main():
// exit 1 with the usage code on stdout, as every other failure gives with --json, so the script's
// `error.code` check does not meet empty output; the name is shown with its controls escaped.
import { expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

it('prints {"error":{"code":"usage"}} on stdout with --json', async () => {
  const run = await runCli(['plam', '--json'], tempTree({}));
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'usage', message: 'unknown command "plam"' } });
  expect(run.stderr).toMatch(/^unknown command "plam"\n/);
});

it('without --json, stderr only; a control character in the name is escaped', async () => {
  const run = await runCli(['pl\x1b[2Jam'], tempTree({}));
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toContain('\x1b');
});
