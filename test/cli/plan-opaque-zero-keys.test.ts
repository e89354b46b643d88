// `consul-gitops plan` through the CLI's main() against the dev server, when someone adds or removes
// a key holding a zero (0, false) in a user's own map behind our back: proxy-defaults `Config`, a Go
// map[string]interface{} Consul stores verbatim. A key absent from that map is not its zero (Consul
// and Envoy fall back to their own default: `local_connect_timeout_ms` absent is 5000 ms, not 0), so
// the plan must show the key removed or added, never `0 → 0` or `false → false`, which reads as no
// change while the plan writes one.
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const consul = devServerPerTest();
/** A write behind consul-gitops' back, which Consul accepts. */
async function put(entry: Record<string, unknown>): Promise<void> {
  expect(await consul.put(entry)).toBe('true');
}

const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/proxy.hcl' };
const plan = (dir: string, ...extra: string[]) => runCli(['plan', '--consul', consul.url, '--detailed-exitcode', ...extra], dir);

async function applied(hcl: string): Promise<string> {
  const dir = tempTree({ 'config-entries/proxy.hcl': hcl });
  const run = await runCli(['apply', '--consul', consul.url, '--auto-approve'], dir);
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

describe('plan: zero values in proxy-defaults Config changed by hand', () => {
  it('keys added by hand with 0 and false show as removed, not as an unchanged-looking 0 → 0', async () => {
    const dir = await applied('Kind = "proxy-defaults"\nName = "global"\nConfig { protocol = "http" }\n');
    await put({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http', local_connect_timeout_ms: 0, envoy_dns_discovery: false }, Meta: OURS });

    const text = await plan(dir);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/- local_connect_timeout_ms\s+= 0\n/);
    expect(text.stdout).toMatch(/- envoy_dns_discovery\s+= false\n/);
    expect(text.stdout).not.toContain('0 → 0');
    expect(text.stdout).not.toContain('false → false');

    const json = JSON.parse((await plan(dir, '--json')).stdout);
    const rendered = JSON.stringify(json.changes);
    expect(rendered).not.toMatch(/"before":0,"after":0|"before":false,"after":false/);
  });

  it('a 0 the file writes, removed by hand, shows as added back', async () => {
    const dir = await applied('Kind = "proxy-defaults"\nName = "global"\nConfig {\n  protocol = "http"\n  local_request_timeout_ms = 0\n}\n');
    await put({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' }, Meta: OURS });

    const text = await plan(dir);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/\+ local_request_timeout_ms = 0\n/);
    expect(text.stdout).not.toContain('0 → 0');
  });

  it('pin: a plain struct field the file drops still reads as Consul reads it (50 → 0)', async () => {
    const dir = await applied('Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n');
    await put({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      MaxInboundConnections: 50,
      Meta: { ...OURS, 'consul-gitops/source': 'config-entries/proxy.hcl' },
    });
    const text = await plan(dir);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/~ MaxInboundConnections = 50 → 0\n/);
  });
});
