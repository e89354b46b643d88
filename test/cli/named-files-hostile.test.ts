// The other files a user names (serve --env-file, dev-server --acl-policy-file, CONSUL_HTTP_TOKEN_FILE,
// CONSUL_CACERT) given as a FIFO, through main(): each is refused at once with the file and why,
// instead of the start waiting for a writer forever. A child opens the FIFO for writing after a few
// seconds, so a read that does wait (as before) ends with an empty file and the test fails, not blocks.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const TREE = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };
const ENV_VARS = ['CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE', 'CONSUL_HTTP_ADDR', 'CONSUL_HTTP_SSL_VERIFY', 'CONSUL_CACERT'] as const;
const saved: Partial<Record<string, string>> = {};
let unblockers: ChildProcess[] = [];

beforeEach(() => {
  for (const k of ENV_VARS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});
afterEach(() => {
  for (const k of ENV_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  for (const c of unblockers) c.kill();
  unblockers = [];
});

/** A FIFO in `dir`, opened for writing (then closed) by a child after 4 s, so a blocked reader gets EOF. */
function fifoIn(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  unblockers.push(spawn('sh', ['-c', 'sleep 4; exec 3>"$0"', path], { stdio: 'ignore' }));
  return path;
}

describe('named files that are FIFOs are refused at once', () => {
  const consul = devServerPerTest();

  it('serve --env-file', async () => {
    const cwd = tempTree(TREE);
    fifoIn(cwd, 'serve.env');
    const run = await runCli(['serve', '--port', '0', '--env-file', 'serve.env'], cwd);
    expect(run.stderr).toContain('cannot read --env-file serve.env: not a regular file (a FIFO)');
    expect(run.code).toBe(1);
  }, 20_000);

  it('dev-server --acl-policy-file', async () => {
    const cwd = tempTree(TREE);
    const fifo = fifoIn(cwd, 'acl.yaml');
    const run = await runCli(['dev-server', '--port', '0', '--acl-policy-file', fifo], cwd);
    expect(run.stderr).toContain(`${fifo}: cannot read --acl-policy-file: not a regular file (a FIFO)`);
    expect(run.code).toBe(1);
  }, 20_000);

  it('CONSUL_HTTP_TOKEN_FILE', async () => {
    const cwd = tempTree(TREE);
    const fifo = fifoIn(cwd, 'token');
    process.env.CONSUL_HTTP_TOKEN_FILE = fifo;
    const run = await runCli(['plan', '--consul', consul.url], cwd);
    expect(run.stderr).toContain(`cannot read the Consul token file ${fifo}`);
    expect(run.stderr).toContain('CONSUL_HTTP_TOKEN_FILE');
    expect(run.stderr).toContain('not a regular file (a FIFO)');
    expect(run.code).not.toBe(0);
  }, 20_000);

  it('CONSUL_CACERT', async () => {
    const cwd = tempTree(TREE);
    const fifo = fifoIn(cwd, 'ca.pem');
    process.env.CONSUL_CACERT = fifo;
    process.env.CONSUL_HTTP_ADDR = 'https://127.0.0.1:1';
    const run = await runCli(['plan'], cwd);
    expect(run.stderr).toContain(`cannot read CA file ${fifo}: not a regular file (a FIFO)`);
    expect(run.code).not.toBe(0);
  }, 20_000);
});
