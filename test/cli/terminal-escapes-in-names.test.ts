// A file name is data from the repository, and may hold what a terminal or CI log obeys: an ESC
// sequence that clears or recolours the screen, a newline that forges a line of output, a
// bidirectional override that shows the name's characters in another order. Every line the CLI prints
// about a file shows such characters escaped (`\u001b`); --json keeps the name exact.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { planCommand } from '../../src/cli/plan-command.ts';

const ENTRY = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
/** Clears the screen, forges a line, then reverses the rest of the name: shown raw it reads "ok.hcl" on a line of its own. */
const HOSTILE = 'a\u001b[2J\nb\u202elch.ko';
const SHOWN = 'a\\u001b[2J\\u000ab\\u202elch.ko';
// eslint-disable-next-line no-control-regex -- the controls are what this looks for
const RAW = /[\u001b\u202e]|[^\S\n ]|\nb/u;

/** Every character a terminal would obey, outside the escaped forms. */
function expectNothingRaw(text: string): void {
  expect(text).not.toMatch(RAW);
}

describe('a file name holding terminal controls', () => {
  const consul = devServerPerTest();

  it('is escaped by render, in its listing and in the notice for an ignored file', async () => {
    const cwd = tempTree({ [`config-entries/${HOSTILE}.hcl`]: ENTRY, [`config-entries/${HOSTILE}.txt`]: 'x' });
    const r = await runCli(['render'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`# service-defaults/web  (config-entries/${SHOWN}.hcl:1)`);
    expect(r.stderr).toContain(`config-entries/${SHOWN}.txt`);
    expectNothingRaw(r.stdout + r.stderr);
    const json = await runCli(['render', '--json'], cwd);
    expect(JSON.parse(json.stdout)).toEqual([{ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }]);
  });

  it('is escaped in an error about the file (validate)', async () => {
    const cwd = tempTree({ [`config-entries/${HOSTILE}.hcl`]: 'Kind = "service-defaults"\nName = \n' });
    const r = await runCli(['validate'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`config-entries/${SHOWN}.hcl:1:1: Name`);
    expectNothingRaw(r.stderr);
  });

  it('is escaped by plan, in the change and in the notice for a FIFO', async () => {
    const cwd = tempTree({ [`config-entries/${HOSTILE}.hcl`]: ENTRY });
    execFileSync('mkfifo', [join(cwd, 'config-entries', `${HOSTILE}-fifo.hcl`)]);
    const r = await runAgainst(consul.url, planCommand, [], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`+ create service-defaults/web  (config-entries/${SHOWN}.hcl:1)`);
    expect(r.stderr).toContain(`notice: skipped config-entries/${SHOWN}-fifo.hcl: not a regular file (a FIFO)`);
    expectNothingRaw(r.stdout + r.stderr);
  });

  it('is escaped in a command error quoting a path (plan --config)', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': ENTRY });
    const r = await runCli(['plan', '--config', `${HOSTILE}.yaml`, '--consul', consul.url], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot read ${SHOWN}.yaml: no such file\n`);
  });
});
