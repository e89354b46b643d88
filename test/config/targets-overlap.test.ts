// Two targets that manage the same part of one Consul are refused when the configuration is loaded,
// by the CLI (consul-gitops.yaml), serve and the reconcile Lambda (TARGETS_CONFIG): entries carry one
// ownership marker, not a target's name, so one target's prune deletes what the other applied and
// each apply reverts the other's version. The error names both targets and what they share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { expectServeAndLambdaRefuse, overlapEnv } from '../support/targets-overlap.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n';
const owned = (source: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': source });

let consul: DevServer;
beforeAll(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterAll(() => consul.close());

const put = (entry: Record<string, unknown>) => fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
const live = async (name: string) => (await fetch(`${consul.url}/v1/config/service-defaults/${name}`)).status;

const twoTargets = (a: string, b: string) => `targets:\n  - name: team-a\n    dir: a\n${a}  - name: team-b\n    dir: b\n${b}`;

describe('two targets on one Consul', () => {
  it('CLI: apply of one is refused at load, naming both, and the other target’s entry is not pruned', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: owned('a/web.hcl') });
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc', Meta: owned('b/api.hcl') });
    const consulAt = `    consul: { address: "${consul.url}" }\n`;
    // The second spells the same address another way: without the scheme, with a trailing slash.
    const sameOtherwise = `    consul: { address: "${consul.url.replace('http://', '')}/" }\n`;
    const repo = tempTree({ 'a/web.hcl': WEB, 'b/api.hcl': API, 'consul-gitops.yaml': twoTargets(consulAt, sameOtherwise) });

    const r = await runCli(['apply', '--target', 'team-b', '--prune', '--auto-approve'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'consul-gitops.yaml: targets "team-a" and "team-b" overlap: both manage namespace "default" and the partition-wide entries of partition "default" of the same Consul (the same consul.address)',
    );
    expect(r.stderr).toContain("Each one's prune would delete the entries the other applied");
    expect(await live('web')).toBe(200);
    expect(await live('api')).toBe(200);
    // plan says the same, and so does validate (CI catches it before anything is applied).
    for (const command of [['plan', '--target', 'team-a'], ['validate']]) {
      const again = await runCli(command, repo);
      expect(again.code, command.join(' ')).toBe(1);
      expect(again.stderr, command.join(' ')).toContain('targets "team-a" and "team-b" overlap');
    }
  });

  it('CLI: a datacenter does not separate them; partitions, addresses and namespaces do as Consul does', async () => {
    const refused = async (yaml: string, words: string) => {
      const r = await runCli(['validate', 'a', 'b'], tempTree({ 'a/web.hcl': WEB, 'b/api.hcl': API, 'consul-gitops.yaml': yaml }));
      expect(r.code, yaml).toBe(1);
      expect(r.stderr, yaml).toContain(words);
    };
    const accepted = async (yaml: string) => {
      const r = await runCli(['validate', 'a', 'b'], tempTree({ 'a/web.hcl': WEB, 'b/api.hcl': API, 'consul-gitops.yaml': yaml }));
      expect(r.stderr, yaml).toBe('');
      expect(r.code, yaml).toBe(0);
    };
    // Config entry writes go to the primary datacenter whatever ?dc says (agent/consul/config_endpoint.go).
    await refused(
      twoTargets(
        '    consul: { address: "consul.example:8500", datacenter: dc1 }\n',
        '    consul: { address: "http://Consul.Example:8500", datacenter: dc2 }\n',
      ),
      'targets "team-a" and "team-b" overlap',
    );
    // Enterprise: one partition, namespaces that meet.
    await refused(
      twoTargets(
        '    consul: { address: "consul.example:8500", partition: eu }\n    namespaces: [web, API]\n',
        '    consul: { address: "consul.example:8500", partition: EU }\n    namespaces: [api]\n',
      ),
      'both manage namespace "API" and the partition-wide entries of partition "eu"',
    );
    // Disjoint namespaces still share the partition's proxy-defaults, mesh, exported-services.
    await refused(
      twoTargets(
        '    consul: { address: "consul.example:8500", partition: eu }\n    namespaces: [web]\n',
        '    consul: { address: "consul.example:8500", partition: eu }\n    namespaces: [api]\n',
      ),
      'both manage the partition-wide entries (proxy-defaults, mesh, exported-services …) of partition "eu"',
    );
    await refused(
      'targets:\n  - name: prod\n    dir: a\n    consul: { address: "x:1" }\n  - name: prod\n    dir: b\n    consul: { address: "y:1" }\n',
      'consul-gitops.yaml: targets.1.name: "prod" names targets.0 too',
    );
    await accepted(
      twoTargets('    consul: { address: "consul.example:8500", partition: eu }\n', '    consul: { address: "consul.example:8500", partition: us }\n'),
    );
    await accepted(twoTargets('    consul: { address: "consul-staging:8500" }\n', '    consul: { address: "consul-prod:8500" }\n'));
    // The CLI may run each target under its own CONSUL_HTTP_ADDR: two targets without an address are not known to meet.
    await accepted(twoTargets('', ''));
  });

  it('serve refuses to start, and the reconcile Lambda refuses the event, with both targets named (neither sets an address: one CONSUL_HTTP_ADDR)', async () => {
    const env = overlapEnv(consul.url, [
      { name: 'team-a', dir: 'a' },
      { name: 'team-b', dir: 'b' },
    ]);
    const words = /TARGETS_CONFIG: targets "team-a" and "team-b" overlap: .*neither sets consul\.address, so both use CONSUL_HTTP_ADDR/;
    await expectServeAndLambdaRefuse(env, words);
  });
});
