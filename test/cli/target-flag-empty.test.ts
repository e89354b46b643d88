// `--target ""` (as `--target "$TARGET"` gives with the variable unset in a CI job), through main():
// refused as a usage error naming the targets, and nothing is applied. It once meant "no --target",
// so the job for one target planned and applied the file's first target instead.
import { expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerFile();
const tree = () =>
  tempTree({
    'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
    'consul-gitops.yaml': 'targets:\n  - name: dc1\n  - name: dc2\n    consul: { partition: other }\n',
  });

it.each([['plan'], ['apply', '--auto-approve']])('%s --target "": refused, nothing applied', async (...command: string[]) => {
  const run = await runCli([...command, '--json', '--target', '', '--consul', consul.url], tree());
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).error.code).toBe('usage');
  expect(run.stderr).toContain('--target needs a target name (have: dc1, dc2)');
  expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(404);
});

it('--target naming one is used (pin)', async () => {
  const run = await runCli(['plan', '--target', 'dc1', '--consul', consul.url], tree());
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('+ create service-defaults/web');
});
