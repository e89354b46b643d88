// render prints the decoded form (what `consul config write` sends) or, with --normalized, what
// Consul stores; output is sorted by kind, partition, namespace, name.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

describe('render', () => {
  const dir = tempTree({
    'b.hcl': 'Kind = "service-intentions"\nName = "web"\nSources = [{ Name = "*", Action = "deny" }, { Name = "api", Action = "allow" }]\n',
    'a.json': '{"kind": "service-defaults", "name": "web", "protocol": "HTTP"}',
    'c.yaml': 'Kind: proxy-defaults\nConfig:\n  Protocol: HTTP\n  list: [only]\n',
    'd.hcl': 'Kind = "service-resolver"\nName = "web"\nConnectTimeout = "90s"\n',
    'e.hcl': 'Kind = "service-defaults"\nName = "big"\nMaxInboundConnections = 9223372036854775807\n',
  });

  it('prints the decoded form, sorted, as one JSON array', async () => {
    const run = await runCli(['render', '--json', '.'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"MaxInboundConnections": 9223372036854775807');
    const entries = JSON.parse(run.stdout.replace('9223372036854775807', '0'));
    expect(entries.map((e: { Kind: string; Name?: string }) => `${e.Kind}/${e.Name ?? ''}`)).toEqual([
      'proxy-defaults/',
      'service-defaults/big',
      'service-defaults/web',
      'service-intentions/web',
      'service-resolver/web',
    ]);
    expect(entries[2]).toEqual({ Kind: 'service-defaults', Name: 'web', Protocol: 'HTTP' });
    // Go's time.Duration String() form, as the api client sends resolver timeouts.
    expect(entries[4]).toEqual({ Kind: 'service-resolver', Name: 'web', ConnectTimeout: '1m30s' });
    // Opaque Config keeps key case; a one-element list is unwrapped as Consul's decoder does.
    expect(entries[0]).toEqual({ Kind: 'proxy-defaults', Config: { Protocol: 'HTTP', list: 'only' } });
  });

  it('prints what Consul stores with --normalized', async () => {
    const run = await runCli(['render', '--json', '--normalized', 'a.json', 'b.hcl', 'c.yaml'], dir);
    expect(run.code).toBe(0);
    const [pd, sd, si] = JSON.parse(run.stdout);
    expect(pd).toEqual({ Kind: 'proxy-defaults', Name: 'global', Config: { Protocol: 'HTTP', list: 'only' } });
    expect(sd).toEqual({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    expect(si.Sources).toEqual([
      { Name: 'api', Action: 'allow', Type: 'consul', Precedence: 9 },
      { Name: '*', Action: 'deny', Type: 'consul', Precedence: 8 },
    ]);
  });

  it('the example tree validates', async () => {
    const validate = await runCli(['validate'], process.cwd());
    expect(validate.code).toBe(0);
  });

  it('reads absolute paths as well as relative ones', async () => {
    const run = await runCli(['render', '--json', `${dir}/a.json`], '/');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ Kind: 'service-defaults', Name: 'web', Protocol: 'HTTP' }]);
  });

  it('says how to point at Consul when it cannot be reached', async () => {
    const run = await runCli(['plan', '--consul', 'http://127.0.0.1:1', '--dir', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ECONNREFUSED 127.0.0.1:1');
    expect(run.stderr).toContain('hint: is Consul running there? Set CONSUL_HTTP_ADDR or pass --consul URL');
  });

  it('exits 1 with a clear message for a missing path', async () => {
    const run = await runCli(['render', 'nope'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nope:1:1: no such file or directory');
  });
});
