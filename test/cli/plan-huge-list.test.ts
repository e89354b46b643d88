// `plan` of an entry holding a list of a couple of hundred thousand elements (raised file-size
// limit): the text prints every element without overflowing the stack, whether the entry is new or
// the list grew from a live one (spreading that many lines as call arguments threw RangeError).
import { expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerFile();
// Past V8's limit on call arguments (about 120k here); kept near it, as the machine may be loaded.
const ADDRESSES = 150_000;
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
/** `n` addresses, from the `from`th on. */
const defaults = (n: number, from = 0) =>
  JSON.stringify({
    Kind: 'service-defaults',
    Name: 'external-db',
    Protocol: 'tcp',
    Destination: { Port: 5432, Addresses: Array.from({ length: n }, (_, i) => address(from + i)) },
  });

it('prints a new entry with a huge list, one line per element', async () => {
  const dir = tempTree({ 'config-entries/external-db.json': defaults(ADDRESSES) });
  const run = await runCli(['plan', '--max-file-size', '16MiB', '--consul', consul.url], dir);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('+ create service-defaults/external-db');
  expect(run.stdout.match(/^ +\+ "10\.\d+\.\d+\.\d+",$/gm)).toHaveLength(ADDRESSES);
  expect(run.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
});

it('prints a live list grown to a huge one, one added line per new element', async () => {
  expect(await consul.put(JSON.parse(defaults(2)))).toBe('true');
  const dir = tempTree({ 'config-entries/external-db.json': defaults(ADDRESSES) });
  const run = await runCli(['plan', '--max-file-size', '16MiB', '--consul', consul.url], dir);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('~ update service-defaults/external-db');
  expect(run.stdout.match(/^ +\+ "10\.\d+\.\d+\.\d+",$/gm)).toHaveLength(ADDRESSES - 2);
  expect(run.stdout).toMatch(/^Plan: 0 to create, 1 to update \(1 only with --adopt\), 0 to delete\.$/m);
});

it('lists every changed element of a huge live list changed in place (same length) in plan --json', async () => {
  expect(await consul.put(JSON.parse(defaults(ADDRESSES)))).toBe('true');
  const dir = tempTree({ 'config-entries/external-db.json': defaults(ADDRESSES, ADDRESSES) });
  const json = await runCli(['plan', '--json', '--max-file-size', '16MiB', '--consul', consul.url], dir);
  expect(json.stderr).toBe('');
  expect(json.code).toBe(0);
  const diffs = (JSON.parse(json.stdout) as { changes: { fieldDiffs: { path: string }[] }[] }).changes[0].fieldDiffs;
  expect(diffs).toHaveLength(ADDRESSES);
  expect(diffs.at(-1)?.path).toBe(`Destination.Addresses[${ADDRESSES - 1}]`);
});
