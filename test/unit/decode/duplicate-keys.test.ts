// Duplicate keys in one object: Consul's decoders (HCL1, also for JSON via `consul config write`,
// and encoding/json for the API) keep the last value, so HCL and JSON are accepted with a warning
// naming both positions; YAML (read by Kubernetes for CRDs, which refuses duplicates) is an error.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

describe('duplicate keys', () => {
  it('HCL and JSON: the last value wins, as in Consul, with a warning naming both positions', async () => {
    const dir = tempTree({
      'a.hcl': 'Kind = "service-defaults"\nName = "a"\nProtocol = "http"\nProtocol = "grpc"\n',
      'b.json': '{"Kind": "service-defaults", "Name": "b",\n "Protocol": "http",\n "protocol": "tcp",\n "Meta": {"team": "x", "team": "y"}}',
    });
    const run = await runCli(['render', '--json', '.'], dir);
    expect(run.code).toBe(0);
    const [a, b] = JSON.parse(run.stdout);
    expect(a.Protocol).toBe('grpc');
    expect(b).toMatchObject({ Protocol: 'tcp', Meta: { team: 'y' } });
    expect(run.stderr).toContain(
      'warning: a.hcl:4:1: Protocol: duplicate key "Protocol": the value at line 3, column 1 is dropped and this one wins, as in Consul',
    );
    expect(run.stderr).toContain(
      'warning: b.json:3:2: Protocol: duplicate key "protocol": the value at line 2, column 2 is dropped and this one wins, as in Consul',
    );
    expect(run.stderr).toContain('warning: b.json:4:24: Meta.team: duplicate key "team": the value at line 4, column 11 is dropped');
    const validate = await runCli(['validate', '.'], dir);
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain('warning: a.hcl:4:1:');
  });

  it('repeated HCL blocks still concatenate without a warning', async () => {
    const dir = tempTree({
      'i.hcl': 'Kind = "service-intentions"\nName = "web"\nSources { Name = "a"\n Action = "allow" }\nSources { Name = "b"\n Action = "deny" }\n',
    });
    const run = await runCli(['validate', 'i.hcl'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});
