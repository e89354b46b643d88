// `plan --out PATH` onto something that is not a plan file to replace, through main(): a directory,
// a FIFO, a device (as `--out /dev/null` names one), a folder that does not exist (a link at the
// path is replaced, never written through: saved-plan-file-mode.test.ts).
// Each is refused with a usage error naming what is there, the thing is left as it was (the rename
// of the finished file once replaced a FIFO or, run as root, /dev/null itself with the plan), and
// no temporary copy of the plan (it may hold private keys) is left beside it. A plan file already
// there is replaced, readable by its owner only.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const TREE = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };
const consul = devServerPerFile();

/** plan --out `out` in a fresh tree after `prepare`: the run, and the tree's top-level names after it. */
async function planOut(out: string, prepare: (dir: string) => void = () => {}, json = false) {
  const dir = tempTree(TREE);
  prepare(dir);
  const before = readdirSync(dir).sort();
  const run = await runCli(['plan', '--consul', consul.url, '--out', out, ...(json ? ['--json'] : [])], dir);
  return { run, dir, before, after: readdirSync(dir).sort() };
}

describe('plan --out refuses what is not a plan file to replace, and leaves it as it was', () => {
  it('a directory', async () => {
    const { run, dir, before, after } = await planOut('adir', (d) => mkdirSync(join(d, 'adir')), true);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot save the plan to .*adir: it is a directory, not a file; --out names a new file or a plan file to replace\n/m);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!).error.code).toBe('usage');
    expect(after).toEqual(before);
    expect(lstatSync(join(dir, 'adir')).isDirectory()).toBe(true);
    // Refused before planning: no plan is printed that would then not be saved.
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('a FIFO', async () => {
    const { run, dir, before, after } = await planOut('f.plan', (d) => execFileSync('mkfifo', [join(d, 'f.plan')]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot save the plan to .*f\.plan: it is a FIFO, not a file/);
    expect(after).toEqual(before);
    expect(lstatSync(join(dir, 'f.plan')).isFIFO()).toBe(true);
    expect(run.stdout).not.toContain('service-defaults');
  });

  // A null device of our own (as /dev/null is): making one needs root.
  it.skipIf(process.getuid?.() !== 0)('a character device, as --out /dev/null names', async () => {
    const { run, dir, before, after } = await planOut('null', (d) => execFileSync('mknod', ['-m', '666', join(d, 'null'), 'c', '1', '3']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot save the plan to .*null: it is a character device, not a file/);
    expect(after).toEqual(before);
    expect(lstatSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
  });

  it('a folder that does not exist: named, not a temporary file name', async () => {
    const { run, before, after } = await planOut('nodir/p.plan');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot save the plan to .*nodir\/p\.plan: the folder .*nodir does not exist;/);
    expect(run.stderr).not.toContain('.tmp');
    expect(after).toEqual(before);
  });
});

it('a plan file already there is replaced, for its owner only (pin)', async () => {
  const { run, dir } = await planOut('p.plan', (d) => writeFileSync(join(d, 'p.plan'), 'an older plan', { mode: 0o644 }));
  expect(run.code).toBe(0);
  expect(readFileSync(join(dir, 'p.plan'), 'utf8')).toContain('"format"');
  expect(lstatSync(join(dir, 'p.plan')).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir).sort()).toEqual(['config-entries', 'p.plan']);
});
