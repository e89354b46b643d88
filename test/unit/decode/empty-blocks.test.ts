// Class 5 of issue 11: a block given empty is present for Consul's Validate (a non-nil Go pointer),
// although its decoded form is empty. ServiceConfigEntry.Validate (agent/structs/config_entry.go)
// refuses UpstreamConfig beside Destination even when UpstreamConfig holds nothing.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const destination = 'Destination {\n  Addresses = ["api.example.com"]\n  Port = 443\n}\n';

describe('empty blocks as Consul validates them', () => {
  it('service-defaults: an empty UpstreamConfig beside Destination is refused, with file and line', async () => {
    const run = await runCli(['validate', '.'], tempTree({ 'web.hcl': `Kind = "service-defaults"\nName = "web"\nUpstreamConfig {}\n${destination}` }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('web.hcl:3:');
    expect(run.stderr).toContain('UpstreamConfig and Destination are mutually exclusive for service defaults');
  });

  it('the same in JSON', async () => {
    const body = { Kind: 'service-defaults', Name: 'web', UpstreamConfig: {}, Destination: { Addresses: ['api.example.com'], Port: 443 } };
    const run = await runCli(['validate', '.'], tempTree({ 'web.json': JSON.stringify(body, null, 2) }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('UpstreamConfig and Destination are mutually exclusive for service defaults');
  });

  it('Destination alone, or an empty block Validate does not look at, stays valid', async () => {
    const run = await runCli(
      ['validate', '.'],
      tempTree({
        'web.hcl': `Kind = "service-defaults"\nName = "web"\nTransparentProxy {}\n${destination}`,
        'api.hcl': 'Kind = "service-defaults"\nName = "api"\nUpstreamConfig {}\n',
      }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
