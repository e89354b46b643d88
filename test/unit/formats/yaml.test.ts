// YAML through `render`/`validate`: aliases expand to their anchored value (never to null), alias
// bombs and self-referencing aliases fail with a clear error, duplicate keys are refused.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const BOMB = [
  'Kind: service-defaults',
  'Name: web',
  'Meta:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i) => `  ${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
].join('\n');

describe('YAML aliases', () => {
  it('expands an alias to the anchored value', async () => {
    const dir = tempTree({
      'web.yaml': 'Kind: service-defaults\nName: web\nMeta:\n  proto: &p http\nProtocol: *p\n',
      'router.yaml': [
        'Kind: service-router',
        'Name: web',
        'Routes:',
        '  - Match: &m { HTTP: { PathPrefix: /api } }',
        '    Destination: { Service: api }',
        '  - Match: *m',
        '    Destination: { Service: api-v2 }',
      ].join('\n'),
    });
    const run = await runCli(['render', '--json', 'web.yaml', 'router.yaml'], dir);
    expect(run.stderr).toBe('');
    const [defaults, router] = JSON.parse(run.stdout);
    expect(defaults).toEqual({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: { proto: 'http' } });
    expect(router.Routes.map((r: { Match: unknown }) => r.Match)).toEqual([{ HTTP: { PathPrefix: '/api' } }, { HTTP: { PathPrefix: '/api' } }]);
  });

  it('points errors in an aliased value at the anchor, inside the file', async () => {
    const dir = tempTree({ 'web.yaml': 'Kind: service-defaults\nName: web\nMeta:\n  n: &n { a: 1 }\nProtocol: *n\n' });
    const run = await runCli(['validate', 'web.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("web.yaml:4:9: Protocol: 'Protocol' expected type 'string', got a map");
  });

  it('refuses an alias bomb with a clear error, rendering nothing', async () => {
    const dir = tempTree({ 'bomb.yaml': BOMB });
    const run = await runCli(['render', 'bomb.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^bomb\.yaml:\d+:\d+: aliases expand to more than 10000 nodes \(an alias bomb\?\)/);
  });

  it('refuses an alias inside its own anchor and an alias with no anchor', async () => {
    const dir = tempTree({ 'a.yaml': 'Kind: proxy-defaults\nConfig: &c\n  self: *c\n', 'b.yaml': 'Kind: mesh\nMeta: *nothing\n' });
    const run = await runCli(['validate', 'a.yaml', 'b.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a.yaml:3:9: alias "*c" refers to a node that contains it');
    expect(run.stderr).toMatch(/b\.yaml:2:7: .*nothing/);
  });
});

describe('YAML duplicate keys', () => {
  it('are errors naming both positions, in plain entries and CRDs', async () => {
    const dir = tempTree({
      'web.yaml': 'Kind: service-defaults\nName: web\nProtocol: http\nProtocol: grpc\n',
      'crd.yaml': 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: api\nspec:\n  protocol: http\n  protocol: tcp\n',
    });
    const run = await runCli(['validate', 'web.yaml', 'crd.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('web.yaml:4:1: duplicate key "Protocol": already defined at line 3, column 1');
    expect(run.stderr).toContain('crd.yaml:7:3: duplicate key "protocol": already defined at line 6, column 3');
  });
});
