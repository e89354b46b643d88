// A target's relative tokenFile is read from the folder of the consul-gitops.yaml that names it, as
// kubeconfig and docker-compose read theirs: whatever folder `consul-gitops plan` runs from.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { tempTree } from '../support/run-cli.ts';

const ENTRY = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd }, { env: {} });
  return { code, stdout, stderr };
}

describe("a target's tokenFile in consul-gitops.yaml", () => {
  const token = `secret-${randomUUID()}`;
  let consul: DevServer;
  beforeAll(async () => {
    // ACLs on: only this token may read, so a plan that succeeds proves the file was found and read.
    consul = await startDevServer({ port: 0, host: '127.0.0.1', aclToken: token });
  });
  afterAll(() => consul.close());

  /** A repository whose consul-gitops.yaml names `secrets/consul.token`, relative. */
  const repository = (tokenFile = 'secrets/consul.token') => {
    const root = tempTree({
      'config-entries/web.hcl': ENTRY,
      'secrets/consul.token': `${token}\n`,
      'consul-gitops.yaml': `targets:\n  - name: prod\n    dir: config-entries\n    consul:\n      address: ${consul.url}\n      tokenFile: ${tokenFile}\n`,
    });
    mkdirSync(join(root, 'ops'));
    return root;
  };

  it('is read relative to the config file, not the working directory of the process', async () => {
    const root = repository();
    // main() runs in `root` while the process's own working directory is elsewhere (the repository under test).
    const out = await run(['plan'], root);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('+ create service-defaults/web');
  });

  it('is found from a subfolder with --config ../consul-gitops.yaml, and with an absolute --config', async () => {
    const root = repository();
    for (const config of ['../consul-gitops.yaml', join(root, 'consul-gitops.yaml')]) {
      const out = await run(['plan', '--config', config, '--dir', '../config-entries'], join(root, 'ops'));
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('+ create service-defaults/web');
    }
  });

  it('when missing, the error names the file looked for, the target, the field and the config file, never the token', async () => {
    const root = repository('secrets/missing.token');
    const out = await run(['plan', '--config', '../consul-gitops.yaml', '--dir', '../config-entries'], join(root, 'ops'));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `cannot read the Consul token file ${join(root, 'secrets/missing.token')} (tokenFile of target "prod" in ../consul-gitops.yaml): ENOENT`,
    );
    expect(`${out.stdout}${out.stderr}`).not.toContain(token);
  });
});
