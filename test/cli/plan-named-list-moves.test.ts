// `consul-gitops plan` through the CLI's main() against the dev server, when someone reorders a list
// of named elements by hand and changes nothing else: a terminating gateway's Services. Consul keeps
// the order it is given, so the plan writes the file's order back; before, it paired the elements
// by name, found each unchanged, and printed an update with no difference in it
// (`# (2 unchanged attributes hidden)`), which reads as a spurious write.
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerTest();
/** A write behind consul-gitops' back, which Consul accepts. */
async function put(entry: Record<string, unknown>): Promise<void> {
  expect(await consul.put(entry)).toBe('true');
}

const FILE = 'config-entries/tg.hcl';
const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': FILE };

describe('plan: named elements that only moved', () => {
  it('a terminating gateway whose Services were reordered by hand: the update shows the move', async () => {
    const dir = tempTree({ [FILE]: 'Kind = "terminating-gateway"\nName = "tg"\nServices = [\n  { Name = "a" },\n  { Name = "b" },\n]\n' });
    expect((await runCli(['apply', '--consul', consul.url, '--auto-approve'], dir)).code).toBe(0);
    await put({ Kind: 'terminating-gateway', Name: 'tg', Services: [{ Name: 'b' }, { Name: 'a' }], Meta: OURS });

    const text = await runCli(['plan', '--consul', consul.url, '--detailed-exitcode'], dir);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('~ update terminating-gateway/tg');
    // The moved element leaves its place and comes back at the file's.
    expect(text.stdout).toMatch(/~ Services = \[\n\s+\+ \{\n\s+\+ Name = "a"\n\s+\},\n\s+- \{\n\s+- Name = "a"\n\s+\},\n\s+# \(1 unchanged element hidden\)/);
  });
});
