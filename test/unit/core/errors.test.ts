// The errors a user meets most often must name file, line, column and field, all in one run.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

describe('errors a user can act on', () => {
  it('names file, line, column and field for a typo in a field name', async () => {
    const dir = tempTree({ 'sd.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocl = "http"\n' });
    const run = await runCli(['render', 'sd.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sd.hcl:3:1: Protocl: invalid config key "Protocl"');
  });

  it('reports a wrong type at the value', async () => {
    const dir = tempTree({ 'sd.json': '{\n  "Kind": "service-defaults",\n  "Name": "web",\n  "TransparentProxy": "yes"\n}\n' });
    const run = await runCli(['render', 'sd.json'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`sd.json:4:23: TransparentProxy: 'TransparentProxy' expected type 'map', got a string ("yes")`);
  });

  it('gives Consul\'s own message for MutualTLSMode = "permisive"', async () => {
    const dir = tempTree({
      'mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
      'sd.hcl': 'Kind = "service-defaults"\nName = "web"\nMutualTLSMode = "permisive"\n',
    });
    const run = await runCli(['validate', 'mesh.hcl', 'sd.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sd.hcl:3:1: MutualTLSMode: Invalid MutualTLSMode "permisive". Must be one of "", "strict", or "permissive".');
  });

  it('refuses a proxy-defaults entry not named global', async () => {
    const dir = tempTree({ 'pd.yaml': 'Kind: proxy-defaults\nName: default\n' });
    const run = await runCli(['validate', 'pd.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pd.yaml:2:1: Name: invalid name ("default"), only "global" is supported');
  });

  it('hints at straight quotes when curly quotes were pasted from a web page', async () => {
    const dir = tempTree({
      'a.json': '{ "Kind": “mesh” }',
      'b.yaml': 'Kind: “mesh”\n',
      'c.hcl': 'Kind = “mesh”\n',
    });
    const run = await runCli(['render', 'a.json', 'b.yaml', 'c.hcl'], dir);
    expect(run.stderr).toMatch(/c\.hcl:1:8: .*\n {2}hint: replace the curly quotes/);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/a\.json:1:11: .*\n {2}hint: replace the curly quotes/);
    expect(run.stderr).toMatch(/b\.yaml:1:7: Kind: invalid config entry kind: “mesh”\n {2}hint: replace the curly quotes/);
  });

  it('names the known CRD kinds when a YAML CRD has an unknown kind', async () => {
    const dir = tempTree({
      'crd.yaml': 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefault\nmetadata:\n  name: web\nspec: {}\n',
    });
    const run = await runCli(['render', 'crd.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('crd.yaml:2:1: kind: unknown CRD kind "ServiceDefault" for consul.hashicorp.com/v1alpha1');
    expect(run.stderr).toContain('hint: expected one of');
    expect(run.stderr).toContain('ServiceDefaults');
  });

  it('reports every error of the tree in one run, and renders nothing', async () => {
    const dir = tempTree({
      'one.hcl': 'Kind = "service-defaults"\nName = "a"\nfoo = 1\nbar = 2\n',
      'two.json': '{"Kind": "service-defaults", "Name": "b", "Protocol": {"x": 1}}',
      'three.yaml': 'Kind: not-a-kind\n',
    });
    const all = await runCli(['render', '--json', 'one.hcl', 'two.json', 'three.yaml'], dir);
    expect(all.code).toBe(1);
    expect(all.stdout).toBe('');
    expect(all.stderr).toContain('one.hcl:3:1: foo: invalid config key "foo"');
    expect(all.stderr).toContain('one.hcl:4:1: bar: invalid config key "bar"');
    expect(all.stderr).toContain('two.json:1:55: Protocol:');
    expect(all.stderr).toContain('three.yaml:1:7: Kind: invalid config entry kind: not-a-kind');
    expect(all.stderr).toContain('4 errors; nothing rendered');
  });

  it('names both files when two define the same entry (names are case-insensitive)', async () => {
    const dir = tempTree({
      'a/web.hcl': 'Kind = "service-defaults"\nName = "web"\n',
      'b/web.yaml': 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: Web\nspec:\n  protocol: http\n',
    });
    const run = await runCli(['validate', 'a', 'b'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('b/web.yaml:1:1: Name: service-defaults/Web is defined twice: here and in a/web.hcl:1');
  });

  it('refuses a permissive service when the desired mesh entry does not allow it', async () => {
    const dir = tempTree({
      'mesh.hcl': 'Kind = "mesh"\n',
      'api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permissive"\n',
    });
    const run = await runCli(['validate', 'mesh.hcl', 'api.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'api.hcl:3:1: MutualTLSMode: cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry',
    );
  });

  it('refuses a router on a service whose protocol is tcp', async () => {
    const dir = tempTree({
      'sd.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "tcp"\n',
      'r.hcl': 'Kind = "service-router"\nName = "web"\n',
    });
    const run = await runCli(['validate', 'sd.hcl', 'r.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('r.hcl:2:1: Name: discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior');
  });

  it('ignores files that are not config entries, with a notice', async () => {
    const dir = tempTree({ 'README.md': '# notes', 'mesh.hcl': 'Kind = "mesh"\n' });
    const run = await runCli(['render', '--json', '.'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('notice: ignored README.md');
    expect(JSON.parse(run.stdout)).toEqual([{ Kind: 'mesh' }]);
  });
});
