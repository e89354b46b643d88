// One escaping for the terminal (src/model/terminal-text.ts): a name holding a line separator or an
// Arabic letter mark (U+2028, U+061C: both reorder or break what a reader sees) is shown the same
// way, `\u2028`, whether it comes from a file name (plan) or from Consul's catalog (advise). advise
// had a copy of its own that printed `\u{1b}` and let U+2028 and U+061C through raw.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const NAME = 'evil\u2028line\u061cx\u001b[2J';
const SHOWN = 'evil\\u2028line\\u061cx\\u001b[2J';
// eslint-disable-next-line no-control-regex -- the controls are what this looks for
const RAW = /[\u2028\u061c\u001b]/;

describe('a hostile name on the terminal', () => {
  const consul = devServerPerTest();

  it('is escaped alike by plan (a file name) and advise (a catalog service name)', async () => {
    const tree = {
      'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
      'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n',
      [`config-entries/${NAME}.hcl`]: 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
    };
    const cwd = tempTree(tree);
    const plan = await runAgainst(consul.url, planCommand, [], cwd);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`(config-entries/${SHOWN}.hcl:1)`);
    expect(plan.stdout).not.toMatch(RAW);

    expect((await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd)).code).toBe(0);
    await registerSidecar(consul.url, NAME);
    let stdout = '';
    const code = await main(
      ['advise', '--consul', consul.url, '--stats', 'envoy'],
      { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd },
      { now: () => new Date('2026-11-25T12:00:00Z'), trafficSource: () => trafficDouble({}) },
    );
    expect(code).toBe(0);
    expect(stdout).toContain(SHOWN);
    expect(stdout).not.toMatch(RAW);
  });
});
