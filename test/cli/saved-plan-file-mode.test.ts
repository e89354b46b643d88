// `plan --out FILE` holds private keys by design, so the file is the user's alone (0600) however the
// path was found: a new path, a file already there with 0644, a symbolic link there, or a link planted
// at the temporary name the file is written under (predictable: it holds the process id) in a shared
// folder. The plan never goes through a link to a file someone else can read.
import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { TEST_CERT as CERT_PEM, TEST_KEY as KEY_PEM } from '../fixtures/certs.ts';

const KEY_LINE = KEY_PEM.split('\n')[1];

/** An inline-certificate: the saved plan holds its private key. */
const TREE = {
  'config-entries/cert.hcl': `Kind = "inline-certificate"\nName = "cert"\nCertificate = <<EOT\n${CERT_PEM}EOT\nPrivateKey = <<EOT\n${KEY_PEM}EOT\n`,
};

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('plan --out FILE', () => {
  const consul = devServerPerTest();

  it('holds the private key in a file only its owner can read', async () => {
    const cwd = tempTree(TREE);
    const r = await runAgainst(consul.url, planCommand, ['--out', 'p.plan'], cwd);
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'p.plan'), 'utf8')).toContain(KEY_LINE);
    expect(modeOf(join(cwd, 'p.plan'))).toBe(0o600);
  });

  it('makes a file already there with 0644 into 0600', async () => {
    const cwd = tempTree({ ...TREE, 'p.plan': 'old' });
    const r = await runAgainst(consul.url, planCommand, ['--out', 'p.plan'], cwd);
    expect(r.code).toBe(0);
    expect(modeOf(join(cwd, 'p.plan'))).toBe(0o600);
  });

  it('replaces a symbolic link at the path, never writing through it', async () => {
    const cwd = tempTree({ ...TREE, 'public.txt': '' });
    symlinkSync(join(cwd, 'public.txt'), join(cwd, 'p.plan'));
    const r = await runAgainst(consul.url, planCommand, ['--out', 'p.plan'], cwd);
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'public.txt'), 'utf8')).toBe('');
    expect(lstatSync(join(cwd, 'p.plan')).isFile()).toBe(true);
    expect(modeOf(join(cwd, 'p.plan'))).toBe(0o600);
  });

  it('never writes through a link planted at its temporary name', async () => {
    const cwd = tempTree({ ...TREE });
    const publicFile = join(cwd, 'public.txt');
    writeFileSync(publicFile, '', { mode: 0o644 });
    symlinkSync(publicFile, join(cwd, `.p.plan.${process.pid}.tmp`));
    await runAgainst(consul.url, planCommand, ['--out', 'p.plan'], cwd);
    expect(readFileSync(publicFile, 'utf8')).not.toContain(KEY_LINE);
    expect(readFileSync(publicFile, 'utf8')).toBe('');
  });
});
