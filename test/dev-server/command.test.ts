import { describe, expect, it } from 'vitest';
import { devServerCommand } from '../../src/dev-server/command.ts';

describe('consul-gitops dev-server', () => {
  it('prints the URL, serves, and exits 0 when stopped', async () => {
    let out = '';
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const run = devServerCommand(['--port', '0', '--host', '127.0.0.1'], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true } }, stopped);
    for (let i = 0; i < 100 && !out; i++) await new Promise((r) => setTimeout(r, 20));
    const m = /^dev server listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
    expect(m).not.toBeNull();
    expect((await fetch(`${m![1]}/v1/config/service-defaults`)).status).toBe(200);
    stop();
    expect(await run).toBe(0);
  });

  it('rejects bad flags with exit 1', async () => {
    let err = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
    expect(await devServerCommand(['--port', 'abc'], io)).toBe(1);
    expect(err).toContain('--port');
    expect(await devServerCommand(['--bogus'], io)).toBe(1);
  });
});
