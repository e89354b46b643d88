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
    writeFileSync(
      join(dir, 'serve.env'),
      `GITHUB_WEBHOOK_SECRET=from-file-secret\nGITHUB_REPOSITORY=acme/mesh\nGITHUB_TOKEN=ghp_fromfile000\nCONSUL_HTTP_ADDR=http://127.0.0.1:1\nSCHEDULE_INTERVAL=0\n`,
    );
    const { out, io } = capture();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    // The environment wins over the file (CONSUL_HTTP_ADDR), as with node --env-file.
    const code = serveCommand(['--port', '0', '--env-file', 'serve.env'], { ...io, cwd: dir }, stopped, {
      // serve's start-up check asks GitHub what is owed: a refused loopback port, never api.github.com.
      env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_API_URL: 'http://127.0.0.1:1' },
      log: () => {},
    });
    // serve loads the server when it starts (not for --help): on a loaded machine that is seconds, not vi.waitFor's default 1 s.
    await vi.waitFor(() => expect(out.stdout).toMatch(/^consul-gitops serve listening on http:\/\/127\.0\.0\.1:\d+\n$/), { timeout: 30_000 });
    const url = /listening on (\S+)/.exec(out.stdout)![1];
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

  it('refuses to start on an address that is not a URL, naming the variable; secrets stay hidden', async () => {
    // GITHUB_API_URL: the one serve that starts asks a refused loopback port, never api.github.com.
    const env = {
      GITHUB_WEBHOOK_SECRET: 'whsec-hidden-value',
      GITHUB_TOKEN: 'ghp_hiddenvalue',
      SCHEDULE_INTERVAL: '0',
      GITHUB_REPOSITORY: 'acme/mesh',
      GITHUB_API_URL: 'http://127.0.0.1:1',
    };
    const cases: [Record<string, string>, string][] = [
      [{ CONSUL_HTTP_ADDR: 'not a url' }, 'CONSUL_HTTP_ADDR'],
      [{ CONSUL_HTTP_ADDR: 'ftp://consul:8500' }, 'CONSUL_HTTP_ADDR'],
      [{ GITHUB_API_URL: 'mailto:api@github.com' }, 'GITHUB_API_URL'],
      [
        { TARGETS_CONFIG: JSON.stringify({ targets: [{ name: 'dc1', dir: 'config-entries', consul: { address: 'http://consul dc1:8500' } }] }) },
        'TARGETS_CONFIG targets[0].consul.address',
      ],
    ];
    for (const [bad, name] of cases) {
      const { out, io } = capture();
      const code = await serveCommand(['--port', '0'], io, Promise.resolve(), { env: { ...env, ...bad }, log: () => {} });
      expect([code, out.stdout]).toEqual([1, '']); // never listened
      expect(out.stderr).toContain(name);
      expect(out.stderr).not.toContain('whsec-hidden-value');
      expect(out.stderr).not.toContain('ghp_hiddenvalue');
    }
    // The address is not a secret and is shown; one with credentials in it is not.
    const shown = capture();
    await serveCommand(['--port', '0'], shown.io, Promise.resolve(), { env: { ...env, CONSUL_HTTP_ADDR: 'not a url' } });
    expect(shown.out.stderr).toContain('"not a url"');
    const hidden = capture();
    await serveCommand(['--port', '0'], hidden.io, Promise.resolve(), { env: { ...env, CONSUL_HTTP_ADDR: 'http://user:hunter2pw@consul dc1:8500' } });
    expect(hidden.out.stderr).toContain('CONSUL_HTTP_ADDR');
    expect(hidden.out.stderr).not.toContain('hunter2pw');
    // A scheme-less host:port is what Consul's CLI accepts: fine.
    const ok = capture();
    let stop!: () => void;
    const code = serveCommand(['--port', '0'], ok.io, new Promise<void>((r) => (stop = r)), {
      env: { ...env, CONSUL_HTTP_ADDR: consul.url.replace('http://', '') },
      log: () => {},
    });
    await vi.waitFor(() => expect(ok.out.stdout).toContain('listening on'), { timeout: 30_000 });
    stop();
    expect(await code).toBe(0);
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
