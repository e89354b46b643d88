// consul-gitops.yaml as something other than a small regular file, through main(): a FIFO (every
// command hung waiting for a writer), /dev/zero behind a link (read until memory ran out), a file
// past the size bound, and a YAML alias bomb. Each is refused at once with the file named and why.
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const TREE = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\n' };

describe('consul-gitops.yaml that is not a small regular file', () => {
  it('a FIFO is refused at once, not waited on', async () => {
    const cwd = tempTree(TREE);
    execFileSync('mkfifo', [join(cwd, 'consul-gitops.yaml')]);
    const run = await runCli(['validate'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read consul-gitops.yaml: not a regular file (a FIFO)');
  });

  it('/dev/zero behind a link is refused at once', async () => {
    const cwd = tempTree(TREE);
    symlinkSync('/dev/zero', join(cwd, 'consul-gitops.yaml'));
    const run = await runCli(['validate'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read consul-gitops.yaml: not a regular file (a character device)');
  });

  it('a file over 4 MiB is refused, naming its size', async () => {
    const cwd = tempTree(TREE);
    writeFileSync(join(cwd, 'consul-gitops.yaml'), `# ${'x'.repeat(5 * 1024 * 1024)}\ntargets: []\n`);
    const run = await runCli(['validate'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read consul-gitops\.yaml: the file is 5\.0 MiB \(\d+ bytes\), over the 4 MiB limit/);
  });

  it('a YAML alias bomb is refused by the parser (guard: it was already)', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('targets:\n  - name: t\n    dir: *a9');
    const cwd = tempTree({ ...TREE, 'consul-gitops.yaml': `${lines.join('\n')}\n` });
    const run = await runCli(['validate'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('consul-gitops.yaml: Excessive alias count indicates a resource exhaustion attack');
  });
});
