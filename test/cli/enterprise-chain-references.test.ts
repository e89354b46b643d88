// A discovery chain on Consul Enterprise reaches services in other namespaces: a split or a failover
// target naming a Namespace resolves there (agent/consul/discoverychain/compile.go getSplitterNode:
// the split's EnterpriseMeta defaulted to the splitter's; rewriteTarget: a failover target's
// Namespace replaces the target's), and Consul records that service's protocol. `plan` against the
// Enterprise double refuses a chain that mixes protocols across namespaces, as Enterprise refuses
// the write, and plans the same chain when both namespaces agree.
import { describe, expect, it } from 'vitest';
import { enterpriseDoublePerFile } from '../support/enterprise-double-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const CONFIG = 'targets:\n  - name: ent\n    namespaces: all\n';
const defaults = (ns: string, protocol: string) => `Kind = "service-defaults"\nName = "web"\nNamespace = "${ns}"\nProtocol = "${protocol}"\n`;
const splitter = `Kind = "service-splitter"\nName = "web"\nNamespace = "billing"\nSplits = [\n  { Weight = 50 },\n  { Weight = 50, Service = "web", Namespace = "shipping" },\n]\n`;
const failover = `Kind = "service-resolver"\nName = "web"\nNamespace = "billing"\nFailover = {\n  "*" = {\n    Targets = [ { Service = "web", Namespace = "shipping" } ]\n  }\n}\n`;

const consul = enterpriseDoublePerFile();

describe('a chain in billing reaching web in shipping', () => {
  for (const [what, file] of [
    ['a split', splitter],
    ['a failover target', failover],
  ])
    it(`through ${what}: refused when shipping's web is tcp and billing's http, planned when both are http`, async () => {
      const files = { 'consul-gitops.yaml': CONFIG, 'config-entries/billing.hcl': defaults('billing', 'http'), 'config-entries/chain.hcl': file };
      const mixed = await runCli(['plan', '--consul', consul.url], tempTree({ ...files, 'config-entries/shipping.hcl': defaults('shipping', 'tcp') }));
      expect(mixed.code).toBe(1);
      expect(mixed.stderr).toContain('config-entries/chain.hcl');
      expect(mixed.stderr).toContain('discovery chain "web" uses inconsistent protocols');
      const same = await runCli(
        ['plan', '--detailed-exitcode', '--consul', consul.url],
        tempTree({ ...files, 'config-entries/shipping.hcl': defaults('shipping', 'http') }),
      );
      expect(same.stderr).toBe('');
      expect(same.code).toBe(2);
      expect(same.stdout).toContain('Plan: 3 to create, 0 to update, 0 to delete.');
    });
});
