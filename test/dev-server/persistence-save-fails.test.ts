// A dev server with --data whose state cannot be saved (disk full, directory gone) answers every
// write of the failed snapshot with a 500 naming the file, and undoes those writes in memory, as a
// raft log append that fails commits nothing: nothing is reported as written that is not in the file.
// It used to close the held sockets without an answer and keep the unsaved writes readable.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { call, useServers } from './support.ts';

const start = useServers();
const root = mkdtempSync(join(tmpdir(), 'dev-server-save-fails-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const defaults = (name: string) => ({ Kind: 'service-defaults', Name: name, Protocol: 'http' });
const storedNames = (file: string): string[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { entries: { entry: { Name?: string } }[] }).entries.map((e) => e.entry.Name ?? '');

describe('dev server --data when saving fails', () => {
  it('answers the writes it could not save with a 500 naming the file, and keeps none of them', async () => {
    const dir = join(root, 'a');
    mkdirSync(dir);
    const dataFile = join(dir, 'state.json');
    const s = await start({ dataFile, latencyMs: 5 });
    expect((await call(s.url, 'PUT', '/v1/config', defaults('saved'))).text).toBe('true');
    expect(storedNames(dataFile)).toEqual(['saved']);

    // The directory goes away (as a full disk or a read-only mount would refuse the temp file).
    rmSync(dir, { recursive: true });
    const names = Array.from({ length: 8 }, (_, i) => `lost-${i}`);
    const answers = await Promise.all(names.map((n) => call(s.url, 'PUT', '/v1/config', defaults(n))));
    for (const a of answers) {
      expect(a.status).toBe(500);
      expect(a.text).toContain(`could not save the dev server's state to ${dataFile}`);
      expect(a.text).toContain('ENOENT');
    }
    // Nothing unsaved is readable: the writes were undone, the saved one stays.
    expect((await call(s.url, 'GET', '/v1/config/service-defaults/lost-0')).status).toBe(404);
    const listed = (await call(s.url, 'GET', '/v1/config/service-defaults')).json() as { Name: string }[];
    expect(listed.map((e) => e.Name)).toEqual(['saved']);

    // Once the file can be written again, writes are saved and answered as before.
    mkdirSync(dir);
    expect((await call(s.url, 'PUT', '/v1/config', defaults('later'))).text).toBe('true');
    expect(storedNames(dataFile).sort()).toEqual(['later', 'saved']);
  });

  it('apply through the CLI stops with the reason and reports nothing applied; the next plan still creates it', async () => {
    const dir = join(root, 'b');
    mkdirSync(dir);
    const dataFile = join(dir, 'state.json');
    const s = await start({ dataFile });
    rmSync(dir, { recursive: true });
    const tree = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
    // The target lock (a KV write) is the first write apply makes: it is the one refused.
    const run = await runCli(['apply', '--consul', s.url], tree);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("could not save the dev server's state");
    expect(run.stdout).not.toMatch(/✓/);
    expect((await call(s.url, 'GET', '/v1/kv/?recurse')).status).toBe(404);
    mkdirSync(dir);
    const plan = await runCli(['plan', '--consul', s.url], tree);
    expect(plan.stdout).toContain('create service-defaults/api');
  });
});
