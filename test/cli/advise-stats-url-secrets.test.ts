// `advise --stats prometheus=URL` through main() with credentials in the URL (user:password@host): the
// password is never printed, whether the flag is refused (a scheme that is not http or https, a
// mistyped source name, a password holding a character a URL cannot hold there, the URL in
// consul-gitops.yaml) or Prometheus cannot be reached.
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

  it('a mistyped source name: the error shows the flag without the user and password', async () => {
    const run = await runAdvise('http://127.0.0.1:1', [], { cwd: tempTree(TREE), stats: `Prometheus=https://alice:${PASSWORD}@prom.internal:9090/` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--stats Prometheus=https://…@prom.internal:9090/: expected "prometheus=URL" or "envoy"');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('a password holding an unencoded "/" or "#" (no URL): none of it is shown', async () => {
    for (const password of [`${PASSWORD.slice(0, 9)}/${PASSWORD.slice(9)}`, `${PASSWORD.slice(0, 9)}#${PASSWORD.slice(9)}`]) {
      const run = await runAdvise('http://127.0.0.1:1', [], { cwd: tempTree(TREE), stats: `prometheus=https://alice:${password}@prom.internal:9090/` });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--stats prometheus=https://…@prom.internal:9090/: the URL must be http:// or https://');
      expect(run.stdout + run.stderr).not.toContain(PASSWORD.slice(0, 9));
      expect(run.stdout + run.stderr).not.toContain(PASSWORD.slice(9));
    }
  });

  it('consul-gitops.yaml with such a URL: the config error does not show it', async () => {
    const url = `https://alice:${PASSWORD.slice(0, 9)}/${PASSWORD.slice(9)}@prom.internal:9090/`;
    const config = `targets:\n  - name: dc1\n    advisor:\n      stats:\n        prometheus: { url: "${url}" }\n`;
    const run = await runAdvise('http://127.0.0.1:1', [], {
      cwd: tempTree({ ...TREE, 'consul-gitops.yaml': config }),
      stats: 'prometheus=http://127.0.0.1:1/',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('consul-gitops.yaml: targets.0.advisor.stats.prometheus.url');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD.slice(0, 9));
    expect(run.stdout + run.stderr).not.toContain(PASSWORD.slice(9));
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
