// A dev server with --data that dies after a write is committed in memory but before it is saved:
// the write's answer was held, so the client never hears "written". apply reports it as "outcome
// unknown: re-run plan", and the dev server restarted from the file does not have it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { call, useServers } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/consul-gitops.js', import.meta.url));
const CRASH = fileURLToPath(new URL('../support/crash-on-save.mjs', import.meta.url));
const start = useServers();
const dir = mkdtempSync(join(tmpdir(), 'dev-server-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dev server --data killed between a write and its save', () => {
  it('the client hears no answer (outcome unknown), and the restarted server does not have the write', async () => {
    const dataFile = join(dir, 'state.json');
    // Save 1 is apply's target lock; save 2 is the config entry's write: the process dies there.
    const child = spawn(process.execPath, ['--import', CRASH, BIN, 'dev-server', '--port', '0', '--data', dataFile], {
      env: { ...process.env, CRASH_ON_SAVE: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', () => reject(new Error(`dev server exited before listening: ${out}`)));
      });
      const tree = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
      const run = await runCli(['apply', '--consul', url], tree);
      expect(await exited).toBe('SIGKILL');
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/\? create service-defaults\/api: outcome unknown: re-run plan/);
      expect(run.stdout).not.toMatch(/✓ create service-defaults\/api/);
    } finally {
      child.kill('SIGKILL');
    }

    // Restarted from its file: the write that was never answered was never saved either.
    const s = await start({ dataFile });
    expect((await call(s.url, 'GET', '/v1/config/service-defaults/api')).status).toBe(404);
  }, 60_000);
});
