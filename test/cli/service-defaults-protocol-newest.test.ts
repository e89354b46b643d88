// service-defaults' protocol check of the newest Consul source (issue 11, class 5): ServiceConfigEntry.Validate
// at hashicorp/consul 03658a0 (agent/structs/config_entry.go) refuses a Protocol other than "", http,
// http2, grpc and tcp with `invalid value for protocol: %v`, after Normalize lower-cases it. No release
// is known to carry the check (the 1.2x sources read have no such switch), so validate warns, as it
// does for the newest source's SDS rules, and the dev server, which emulates released behaviour, accepts.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();
const file = (protocol: string) => `Kind = "service-defaults"\nName = "a"\nProtocol = "${protocol}"\n`;

describe("service-defaults Protocol against the newest Consul source's check", () => {
  it("validate warns with Consul's text, naming file, line and field, and still passes", async () => {
    const run = await runCli(['validate', 'a.hcl'], tempTree({ 'a.hcl': file('HTTP3') }));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: a.hcl:3');
    expect(run.stderr).toContain('Protocol');
    expect(run.stderr).toContain('"invalid value for protocol: http3"');
  });

  it('the protocols Consul lists, in any case, are not warned', async () => {
    for (const protocol of ['tcp', 'HTTP', 'http2', 'gRPC']) {
      const run = await runCli(['validate', 'a.hcl'], tempTree({ 'a.hcl': file(protocol) }));
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
    }
  });

  it('the dev server accepts the write, as released Consul does', async () => {
    const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'a', Protocol: 'http3' }) });
    expect(await res.text()).toBe('true');
  });
});
