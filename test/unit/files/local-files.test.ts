// The CLI's reader reads only regular files inside the tree, within size limits: a link to a token
// file, a FIFO, a link to /dev/zero or a loop never hang, leak or exhaust memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const SECRET = 'b3f1c2a8-1d2e-4f5a-9c3b-7e6d5a4c3b2a';
const ENTRY = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

function secretFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-secret-'));
  writeFileSync(join(dir, 'token'), `${SECRET}\n`);
  return join(dir, 'token');
}

describe('reading the config tree', () => {
  it('does not follow a link to a token file outside the tree, so validate never quotes it', async () => {
    const dir = tempTree({ 'ce/web.hcl': ENTRY });
    const token = secretFile();
    for (const ext of ['hcl', 'json', 'yaml']) symlinkSync(token, join(dir, 'ce', `leak.${ext}`));
    for (const cmd of ['validate', 'render']) {
      const run = await runCli([cmd, 'ce'], dir);
      expect(run.stdout + run.stderr).not.toContain(SECRET.slice(0, 8));
      expect(run.stderr).toContain('notice: skipped ce/leak.hcl: symbolic links are not followed');
      expect(run.code).toBe(0);
    }
  });

  it('skips a FIFO, a link to /dev/zero and a directory loop with a notice, and reads the rest', async () => {
    const dir = tempTree({ 'ce/web.hcl': ENTRY });
    execFileSync('mkfifo', [join(dir, 'ce', 'pipe.hcl')]);
    symlinkSync('/dev/zero', join(dir, 'ce', 'zero.yaml'));
    symlinkSync('.', join(dir, 'ce', 'loop'));
    const run = await runCli(['validate', 'ce'], dir);
    expect(run.stderr).toContain('notice: skipped ce/pipe.hcl: not a regular file (a FIFO)');
    expect(run.stderr).toContain('notice: skipped ce/zero.yaml: symbolic links are not followed');
    expect(run.stderr).toContain('notice: skipped ce/loop: symbolic links are not followed');
    expect(run.stdout).toBe('1 entries valid\n');
    expect(run.code).toBe(0);
  }, 15_000);

  it('skips a FIFO named on the command line without opening it', async () => {
    const dir = tempTree({});
    execFileSync('mkfifo', [join(dir, 'pipe.hcl')]);
    const run = await runCli(['render', 'pipe.hcl'], dir);
    expect(run.stderr).toContain('notice: skipped pipe.hcl: not a regular file (a FIFO)');
  }, 15_000);

  it('refuses a file over 1 MiB at once, with its size, and renders nothing', async () => {
    const big = `Kind: service-defaults\nName: big\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    const dir = tempTree({ 'ce/big.yaml': big, 'ce/web.hcl': ENTRY });
    const run = await runCli(['render', 'ce'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('ce/big.yaml:1:1: the file is 2.0 MiB (2097188 bytes), over the 1 MiB limit per file');
    expect(run.stderr).toContain('1 error; nothing rendered');
  });

  it('takes the per-file limit from --max-file-size, and from limits: in consul-gitops.yaml', async () => {
    const big = `Kind: service-defaults\nName: big\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    const dir = tempTree({ 'ce/big.yaml': big });
    expect((await runCli(['validate', '--max-file-size', '3MiB', 'ce'], dir)).stdout).toBe('1 entries valid\n');
    const small = await runCli(['validate', '--max-file-size', '1KiB', 'ce'], dir);
    expect(small.stderr).toContain('over the 1 KiB limit per file');
    const bad = await runCli(['validate', '--max-file-size', 'lots', 'ce'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-file-size: "lots" is not a size');
    writeFileSync(join(dir, 'consul-gitops.yaml'), 'limits:\n  maxFileSize: 4MiB\ntargets:\n  - name: default\n');
    expect((await runCli(['validate', 'ce'], dir)).stdout).toBe('1 entries valid\n');
  });

  it('bounds the whole tree (limits.maxTreeSize)', async () => {
    const dir = tempTree({
      'consul-gitops.yaml': 'limits:\n  maxTreeSize: 100\ntargets:\n  - name: default\n',
      'ce/a.hcl': ENTRY,
      'ce/b.hcl': ENTRY.replace('web', 'api'),
    });
    const run = await runCli(['validate', 'ce'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ce/b.hcl:1:1: the files read so far and this one (57 bytes) exceed the 100 bytes limit for the whole tree');
  });
});
