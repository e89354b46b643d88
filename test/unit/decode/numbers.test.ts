// Numbers out of range for the field's Go type are errors, as Consul's decoders make them
// (strconv.ParseInt/ParseFloat through HCL1's decoder, mapstructure's "cannot parse"), never null.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

async function validate(files: Record<string, string>) {
  const dir = tempTree(files);
  return runCli(['validate', ...Object.keys(files)], dir);
}

describe('numbers out of range', () => {
  it('1e400 is an error in JSON, YAML and HCL, naming file, line, column', async () => {
    const run = await validate({
      'a.json': '{"Kind": "service-defaults", "Name": "a",\n "MaxInboundConnections": 1e400}',
      'b.yaml': 'Kind: service-defaults\nName: b\nRateLimits:\n  InstanceLevel:\n    RequestsPerSecond: 1e400\n',
      'c.hcl': 'Kind = "service-defaults"\nName = "c"\nMaxInboundConnections = 1e400\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a.json:2:27: strconv.ParseFloat: parsing "1e400": value out of range');
    expect(run.stderr).toContain('b.yaml:5:24: strconv.ParseFloat: parsing "1e400": value out of range');
    expect(run.stderr).toContain('c.hcl:3:25: strconv.ParseFloat: parsing "1e400": value out of range');
  });

  it('render prints nothing rather than null for an out-of-range number', async () => {
    const dir = tempTree({ 'a.json': '{"Kind": "service-defaults", "Name": "a", "MaxInboundConnections": 1e400}' });
    const run = await runCli(['render', '--json', 'a.json'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('null');
  });

  it('integers beyond 64 bits and YAML infinities/NaN are errors', async () => {
    const run = await validate({
      'a.json': '{"Kind": "service-defaults", "Name": "a", "MaxInboundConnections": 99999999999999999999}',
      'b.yaml': 'Kind: service-defaults\nName: b\nMaxInboundConnections: 99999999999999999999\n',
      'c.yaml': 'Kind: service-defaults\nName: c\nRateLimits: { InstanceLevel: { RequestsPerSecond: .inf } }\n',
      'd.yaml': 'Kind: proxy-defaults\nConfig:\n  weight: .nan\n',
    });
    expect(run.stderr).toContain('a.json:1:68: strconv.ParseInt: parsing "99999999999999999999": value out of range');
    expect(run.stderr).toContain('b.yaml:3:24: strconv.ParseInt: parsing "99999999999999999999": value out of range');
    expect(run.stderr).toContain(`c.yaml:3:51: ".inf" is infinite: Consul's API is JSON, which has no infinity`);
    expect(run.stderr).toContain(`d.yaml:3:11: ".nan" is not a number`);
  });

  it('checks the Go width of the field: uint32 and uint64 fields, and text in int fields', async () => {
    const run = await validate({
      'router.hcl': 'Kind = "service-router"\nName = "web"\nRoutes = [{ Destination = { NumRetries = 4294967296 } }, { Destination = { NumRetries = -1 } }]\n',
      'resolver.json':
        '{"Kind": "service-resolver", "Name": "web", "LoadBalancer": {"Policy": "ring_hash", "RingHashConfig": {"MinimumRingSize": "18446744073709551616"}}}',
      'web.yaml': 'Kind: service-defaults\nName: web\nLocalConnectTimeoutMs: "9223372036854775808"\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `router.hcl:3:42: Routes[0].Destination.NumRetries: cannot parse 'NumRetries' as uint: strconv.ParseUint: parsing "4294967296": value out of range`,
    );
    expect(run.stderr).toContain(`router.hcl:3:89: Routes[1].Destination.NumRetries: cannot parse 'NumRetries', -1 overflows uint32`);
    expect(run.stderr).toContain(
      `LoadBalancer.RingHashConfig.MinimumRingSize: cannot parse 'MinimumRingSize' as uint: strconv.ParseUint: parsing "18446744073709551616": value out of range`,
    );
    expect(run.stderr).toContain(
      `web.yaml:3:24: LocalConnectTimeoutMs: cannot parse 'LocalConnectTimeoutMs' as int: strconv.ParseInt: parsing "9223372036854775808": value out of range`,
    );
  });

  it('keeps in-range values exact, up to the type limit', async () => {
    const dir = tempTree({
      'router.hcl': 'Kind = "service-router"\nName = "web"\nRoutes = [{ Destination = { NumRetries = 4294967295 } }]\n',
      'resolver.json':
        '{"Kind": "service-resolver", "Name": "web", "LoadBalancer": {"Policy": "ring_hash", "RingHashConfig": {"MinimumRingSize": "18446744073709551615"}}}',
    });
    const run = await runCli(['render', '--json', 'router.hcl', 'resolver.json'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('"NumRetries": 4294967295');
    expect(run.stdout).toContain('"MinimumRingSize": 18446744073709551615');
  });
});
