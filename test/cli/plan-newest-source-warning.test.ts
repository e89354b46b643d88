// `plan` shows the warning `validate` gives of a service-defaults Protocol the newest Consul source
// refuses (core/version-check.ts newestSourceWarnings), under its own code, so the PR plan shows it:
// the write may be refused on a target running that source, and the reviewer should know before merging.
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/plan-command.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();
const tree = () => tempTree({ 'config-entries/a.hcl': 'Kind = "service-defaults"\nName = "a"\nProtocol = "HTTP3"\n' });
const MESSAGE =
  'config-entries/a.hcl:3: Protocol: the newest Consul source refuses this write with "invalid value for protocol: http3" (ServiceConfigEntry.Validate, release not known); older Consul accepts it and treats the service as tcp; use one of tcp, http, http2 or grpc';

describe('plan warns of a service-defaults Protocol the newest Consul source refuses, as validate does', () => {
  it('in --json, under its own code, for the entry it writes', async () => {
    const run = await runAgainst(server.url, planCommand, ['--json'], tree());
    const json = JSON.parse(run.stdout) as { warnings: { code: string; entry: string; message: string }[] };
    expect(json.warnings).toContainEqual({ code: 'newest-consul-source-refuses', entry: 'service-defaults/a', message: MESSAGE });
  });

  it('in the plan text', async () => {
    const run = await runAgainst(server.url, planCommand, [], tree());
    expect(run.stdout + run.stderr).toContain(MESSAGE);
  });
});
