// Two targets on one Consul are refused at load (test/config/targets-overlap.test.ts), but the
// check compared `consul.address` as written: `http://localhost:8500` and `http://127.0.0.1:8500`,
// `[::1]`, an upper-case host, a host's trailing dot, a default port written out or left out were
// taken for different Consuls, and each target's prune deleted what the other applied. The address
// is now compared as the client connects to it; host names are not resolved (two names of one
// cluster stay uncaught, and the error says so). `validate` through the CLI's main().
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n';
const twoAt = (a: string, b: string) =>
  `targets:\n  - name: team-a\n    dir: a\n    consul: { address: "${a}" }\n  - name: team-b\n    dir: b\n    consul: { address: "${b}" }\n`;
const validate = (a: string, b: string) => runCli(['validate', 'a', 'b'], tempTree({ 'a/web.hcl': WEB, 'b/api.hcl': API, 'consul-gitops.yaml': twoAt(a, b) }));

describe('consul.address of two targets, compared as the client connects to it', () => {
  it.each([
    ['http://localhost:8500', 'http://127.0.0.1:8500'],
    ['http://[::1]:8500', 'localhost:8500'],
    ['127.0.0.1:8500', 'http://[::ffff:127.0.0.1]:8500/'],
    ['http://CONSUL.example:8500/', 'consul.example:8500'],
    ['consul.example.:8500', 'http://consul.example:8500'],
    ['http://consul.example', 'consul.example:80'],
    ['https://consul.example', 'consul.example:443'],
    ['https://consul.example:443/', 'https://Consul.Example'],
    ['http://10.0.0.5:8500', 'http://[::ffff:10.0.0.5]:8500'],
    // Without a scheme or a port the client asks port 80 (or 443 with CONSUL_HTTP_SSL), as Consul's own CLI does.
    ['127.0.0.1', 'http://localhost'],
    ['consul.example', 'https://consul.example'],
  ])('%s and %s are one Consul: refused, saying so and that host names are not resolved', async (a, b) => {
    const r = await validate(a, b);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('targets "team-a" and "team-b" overlap');
    expect(r.stderr).toContain(`"${a}" and "${b}" name one Consul address (host names are not resolved`);
  });

  it.each([
    ['http://127.0.0.1:8500', 'http://127.0.0.1:8501'],
    ['consul-staging:8500', 'consul-prod:8500'],
    ['http://consul.example', 'http://consul.example:8500'],
    ['http://127.0.0.1:8500', 'http://127.0.0.2:8500'],
    ['https://proxy.example/consul-a', 'https://proxy.example/consul-b'],
  ])('%s and %s are two Consuls: accepted', async (a, b) => {
    const r = await validate(a, b);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
