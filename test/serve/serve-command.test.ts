// The `serve` sub-command in-process: flags, --env-file, the listening line, stop on signal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveCommand } from '../../src/cli/serve-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

let consul: DevServer;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await consul.close();
});

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } };
  return { out, io };
}

describe('serve command', () => {
  it('starts from --env-file, prints the URL, serves, and stops on the signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-cmd-'));
    writeFileSync(join(dir, 'serve.env'), `GITHUB_WEBHOOK_SECRET=from-file-secret\nGITHUB_TOKEN=ghp_fromfile000\nCONSUL_HTTP_ADDR=http://127.0.0.1:1\nSCHEDULE_INTERVAL=0\n`);
    const { out, io } = capture();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    // The environment wins over the file (CONSUL_HTTP_ADDR), as with node --env-file.
    const code = serveCommand(['--port', '0', '--env-file', 'serve.env'], { ...io, cwd: dir }, stopped, { env: { CONSUL_HTTP_ADDR: consul.url }, log: () => {} });
    await vi.waitFor(() => expect(out.stdout).toMatch(/^consul-gitops serve listening on http:\/\/127\.0\.0\.1:\d+\n$/));
    const url = /listening on (\S+)/.exec(out.stdout)![1]!;
    const health = await fetch(`${url}/healthz`);
    expect(await health.text()).toBe('ok');
    stop();
    expect(await code).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses a bad configuration naming variables, not values', async () => {
    const { out, io } = capture();
    const code = await serveCommand(['--port', '0'], io, Promise.resolve(), { env: { GITHUB_TOKEN: 'ghp_secretvalue', SCHEDULE_INTERVAL: 'soon' } });
    expect(code).toBe(1);
    expect(out.stderr).toContain('GITHUB_WEBHOOK_SECRET');
    expect(out.stderr).toContain('SCHEDULE_INTERVAL');
    expect(out.stderr).not.toContain('ghp_secretvalue');
    expect(out.stderr).not.toContain('soon');
  });

  it('rejects bad flags and a missing env file', async () => {
    const a = capture();
    expect(await serveCommand(['--port', 'eighty'], a.io, Promise.resolve(), { env: {} })).toBe(1);
    expect(a.out.stderr).toContain('--port');
    const b = capture();
    expect(await serveCommand(['--env-file', '/nonexistent/serve.env'], b.io, Promise.resolve(), { env: {} })).toBe(1);
    expect(b.out.stderr).toContain('ENOENT');
    const c = capture();
    expect(await serveCommand(['--help'], c.io)).toBe(0);
    expect(c.out.stdout).toContain('Usage: consul-gitops serve');
  });
});
