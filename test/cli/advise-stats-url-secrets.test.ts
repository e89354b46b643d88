// `advise --stats prometheus=URL` through main() with credentials in the URL (user:password@host): the
// password is never printed, whether the flag is refused (a scheme that is not http or https) or
// Prometheus cannot be reached.
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const PASSWORD = 'pr0m-Pa55w0rd-7f3a';
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' };

describe('advise --stats prometheus=URL with a password in the URL', () => {
  it('a refused scheme: the error shows the URL without its user and password', async () => {
    const run = await runAdvise('http://127.0.0.1:1', [], { cwd: tempTree(TREE), stats: `prometheus=ftp://alice:${PASSWORD}@prom.internal:9090/` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--stats prometheus=ftp://…@prom.internal:9090/: the URL must be http:// or https://');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stdout + run.stderr).not.toContain('alice');
  });

  it('Prometheus unreachable: the report never shows the password', async () => {
    const server = await startDevServer({ host: '127.0.0.1', port: 0 });
    try {
      await registerSidecar(server.url, 'orders');
      const run = await runAdvise(server.url, [], { cwd: tempTree(TREE), stats: `prometheus=http://alice:${PASSWORD}@127.0.0.1:1/` });
      expect(run.stderr).toContain('error: prometheus http://127.0.0.1:1: no query answered (cannot reach Prometheus: ECONNREFUSED)');
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    } finally {
      await server.close();
    }
  });
});
