// `consul-gitops dev-server --data FILE` given something other than its own state file, through
// main(): a FIFO (the start hung waiting for a writer), garbage (a bare SyntaxError), and the file it
// writes, which holds inline-certificate private keys and the KV store: its owner's alone (0600),
// also when a world-readable file was there, never written through a link at its temporary name.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

describe('dev-server --data FILE', () => {
  it('a FIFO is refused at once, naming it', async () => {
    const cwd = tempTree({});
    execFileSync('mkfifo', [join(cwd, 'state.json')]);
    const run = await runCli(['dev-server', '--port', '0', '--data', join(cwd, 'state.json')], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read the dev server's state file ${join(cwd, 'state.json')}: not a regular file (a FIFO)`);
  });

  it('a file that is not its state says so, as a configuration error', async () => {
    const cwd = tempTree({ 'state.json': '{"version": 1, "entries": [' });
    const run = await runCli(['dev-server', '--port', '0', '--data', join(cwd, 'state.json')], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/state\.json: not a dev server state file \(.*JSON.*\); move it away to start empty/);
  });

  it('writes its state for its owner only, replacing a world-readable file, never through a link at the temporary name', async () => {
    const cwd = tempTree({ 'public.txt': '' });
    const dataFile = join(cwd, 'state.json');
    writeFileSync(dataFile, '', { mode: 0o644 });
    symlinkSync(join(cwd, 'public.txt'), `${dataFile}.${process.pid}.1.tmp`);
    const server = await startDevServer({ port: 0, dataFile });
    try {
      const res = await fetch(`${server.url}/v1/kv/secret`, { method: 'PUT', body: 'hunter2' });
      expect(await res.text()).toBe('true');
    } finally {
      await server.close();
    }
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(dataFile, 'utf8')).toContain('aHVudGVyMg');
    expect(readFileSync(join(cwd, 'public.txt'), 'utf8')).toBe('');
  });
});
