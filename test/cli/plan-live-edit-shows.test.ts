// A no-op plan takes Consul's copy of an entry as its canonical form when it holds exactly what the
// file writes (src/core/plan/canonical.ts liveAsWritten), and normalises it otherwise. Through the
// CLI's main() against the dev server: an edit made in Consul between two plans always shows in the
// second, including one that only sets a Go pointer field to its zero (which Consul keeps and the
// file leaves unset), and the no-op plan's `before` is Consul's copy as canonicalOf gives it.
import { describe, expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerFile();

async function put(entry: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(await res.text()).toBe('true');
}

const SOURCE = 'config-entries/web.hcl';
const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': SOURCE };
const plan = (dir: string, ...extra: string[]) => runCli(['plan', '--consul', server.url, '--detailed-exitcode', ...extra], dir);

describe('plan after an edit made in Consul', () => {
  it('shows each edit made between two plans, and a no-op plan’s before is Consul’s copy', async () => {
    const dir = tempTree({ [SOURCE]: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: OURS });

    const same = await plan(dir, '--json');
    expect(same.code).toBe(0);
    const noop = (JSON.parse(same.stdout) as { changes: { action: string; before: unknown }[] }).changes;
    expect(noop).toEqual([expect.objectContaining({ action: 'noop', before: { Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: OURS } })]);

    // A Go pointer's zero: Consul keeps `MaxRequestHeadersKB: 0`, which the file does not set.
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', MaxRequestHeadersKB: 0, Meta: OURS });
    const pointer = await plan(dir);
    expect(pointer.code).toBe(2);
    expect(pointer.stdout).toContain('MaxRequestHeadersKB');

    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'grpc', Meta: OURS });
    const protocol = await plan(dir);
    expect(protocol.code).toBe(2);
    expect(protocol.stdout).toMatch(/Protocol[^\n]*grpc/);

    // Put back as the file writes it: no changes again.
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: OURS });
    expect((await plan(dir)).code).toBe(0);
  });
});
