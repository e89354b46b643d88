// `apply FILE` given something other than the plan file `plan --out` wrote, through main(): a FIFO
// (reading it would wait for a writer forever), /dev/zero behind a link (it never ends), a plan
// someone else can write (the sha256 inside needs no key, so they could change the plan and
// recompute it) or that another user owns. Each is refused at once, naming why, and nothing is
// applied; the plan itself, even copied readable (0644), still applies.
import { chmodSync, chownSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const TREE = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };

describe('apply FILE refuses what is not the plan file as plan --out wrote it', () => {
  const consul = devServerPerTest();

  async function planned(): Promise<string> {
    const cwd = tempTree(TREE);
    const plan = await runCli(['plan', '--consul', consul.url, '--out', 'p.plan'], cwd);
    expect(plan.code).toBe(0);
    return cwd;
  }

  async function expectNothingApplied(): Promise<void> {
    expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(404);
  }

  it('a FIFO: refused at once, not waited on', async () => {
    const cwd = await planned();
    execFileSync('mkfifo', [join(cwd, 'fifo.plan')]);
    const run = await runCli(['apply', '--consul', consul.url, 'fifo.plan'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read the plan: not a regular file (a FIFO)');
    await expectNothingApplied();
  });

  it('/dev/zero behind a link: refused at once, not read until memory runs out', async () => {
    const cwd = await planned();
    symlinkSync('/dev/zero', join(cwd, 'zero.plan'));
    const run = await runCli(['apply', '--consul', consul.url, 'zero.plan'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read the plan: not a regular file (a character device)');
    await expectNothingApplied();
  });

  it('a plan every user can write: refused, since its sha256 would be recomputed by whoever changed it', async () => {
    const cwd = await planned();
    chmodSync(join(cwd, 'p.plan'), 0o666);
    const run = await runCli(['apply', '--consul', consul.url, 'p.plan'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/it is writable by its group and every user \(mode 666\), so someone else could have changed the plan/);
    await expectNothingApplied();
  });

  it.skipIf(process.getuid?.() !== 0)('a plan another user owns: refused', async () => {
    const cwd = await planned();
    chownSync(join(cwd, 'p.plan'), 4242, 4242);
    const run = await runCli(['apply', '--consul', consul.url, 'p.plan'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('it belongs to user 4242, not to this user (0)');
    await expectNothingApplied();
  });

  it('the plan copied readable by others (0644) still applies', async () => {
    const cwd = await planned();
    chmodSync(join(cwd, 'p.plan'), 0o644);
    const run = await runCli(['apply', '--consul', consul.url, 'p.plan'], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(200);
  });
});
