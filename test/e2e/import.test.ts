// Issue 16: `consul-gitops import` through main() against the dev server: every kind plan manages
// is imported into files that read back as what Consul holds, so `plan --adopt` on the imported
// tree adds ownership markers and nothing else; existing files are never overwritten by surprise.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { managedKinds } from '../../src/app/make-plan.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { CERT, EVERY_KIND, KEY } from '../fixtures/import/every-kind.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

async function put(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
  expect(await res.text(), JSON.stringify(body)).toBe('true');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe('import then plan --adopt', () => {
  it('covers every kind plan manages', () => {
    expect(new Set(EVERY_KIND.map((e) => e.Kind))).toEqual(new Set(managedKinds()));
  });

  for (const format of ['hcl', 'json', 'yaml'] as const) {
    it(`${format}: every kind imported; plan --adopt adds only the ownership markers`, async () => {
      for (const e of EVERY_KIND) await put(e);
      const dir = tempTree({});
      const imported = await runCli(['import', '--consul', server.url, '--format', format, '--kinds', managedKinds().join(',')], dir);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain(`Import: ${EVERY_KIND.length} written, 0 already in place, 0 skipped.`);
      expect(filesUnder(join(dir, 'config-entries'))).toContain(`service-intentions/api.${format}`);
      expect(existsSync(join(dir, `config-entries/mesh/mesh.${format}`))).toBe(true);

      const plan = await runCli(['plan', '--consul', server.url, '--adopt', '--json'], dir);
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      const changes = (JSON.parse(plan.stdout) as { changes: { action: string; id: { kind: string }; fieldDiffs: { path: string }[]; reason: string }[] })
        .changes;
      expect(changes).toHaveLength(EVERY_KIND.length);
      for (const c of changes) {
        expect(c.action, `${c.id.kind}: ${c.reason}`).toBe('update');
        expect(c.reason).toContain('matches the file');
        for (const d of c.fieldDiffs) expect(d.path).toMatch(/^Meta(\.managed-by|\.consul-gitops\/source)?$/);
      }
    });
  }

  it('crd: every kind with a CRD imported as consul-k8s documents; plan --adopt adds only the markers', async () => {
    for (const e of EVERY_KIND) await put(e);
    const dir = tempTree({});
    const crdKinds = [
      'mesh',
      'proxy-defaults',
      'service-defaults',
      'jwt-provider',
      'service-resolver',
      'service-splitter',
      'service-router',
      'ingress-gateway',
      'terminating-gateway',
      'service-intentions',
      'exported-services',
    ];
    const imported = await runCli(['import', '--consul', server.url, '--format', 'crd', '--kinds', crdKinds.join(',')], dir);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const text = readFileSync(join(dir, 'config-entries/service-intentions/api.yaml'), 'utf8');
    expect(text).toContain('kind: ServiceIntentions');
    expect(text).toContain('destination:\n    name: api');
    const plan = await runCli(['plan', '--consul', server.url, '--adopt', '--json'], dir);
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: { reason: string; fieldDiffs: { path: string }[] }[] }).changes;
    expect(changes.length).toBe(EVERY_KIND.filter((e) => crdKinds.includes(e.Kind as string)).length);
    for (const c of changes) for (const d of c.fieldDiffs) expect(d.path).toMatch(/^Meta(\.managed-by|\.consul-gitops\/source)?$/);
  });

  it('crd: a kind without a CRD is refused with the list of kinds that have one, before Consul is asked', async () => {
    const dir = tempTree({});
    const r = await runCli(['import', '--consul', server.url, '--format', 'crd', '--kinds', 'tcp-route'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tcp-route has no consul-k8s CRD; kinds with one: mesh,');
    expect(existsSync(join(dir, 'config-entries'))).toBe(false);
  });

  it('leaves out private keys unless inline-certificate is asked for by name', async () => {
    await put({ Kind: 'inline-certificate', Name: 'gw-cert', Certificate: CERT, PrivateKey: KEY });
    const dir = tempTree({});
    const r = await runCli(['import', '--consul', server.url], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skipped kind inline-certificate');
    expect(existsSync(join(dir, 'config-entries/inline-certificate'))).toBe(false);
  });
});

describe('never overwrites', () => {
  it('a file describing the same entry is left alone and reported; a different one is an error unless --force', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' });
    const mine = '# ours, with a comment\nKind = "service-defaults"\nName = "web"\nprotocol = "HTTP"\n';
    const other = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n';
    const dir = tempTree({ 'config-entries/service-defaults/web.hcl': mine, 'config-entries/service-defaults/api.hcl': other });

    const refused = await runCli(['import', '--consul', server.url], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: service-defaults/api: config-entries/service-defaults/api.hcl exists and describes something else; --force replaces it',
    );
    expect(refused.stderr).toContain('nothing was written');
    expect(readFileSync(join(dir, 'config-entries/service-defaults/api.hcl'), 'utf8')).toBe(other);

    const forced = await runCli(['import', '--consul', server.url, '--force'], dir);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('unchanged config-entries/service-defaults/web.hcl: already describes service-defaults/web');
    expect(forced.stdout).toContain('replaced config-entries/service-defaults/api.hcl');
    expect(readFileSync(join(dir, 'config-entries/service-defaults/web.hcl'), 'utf8')).toBe(mine);
    expect(readFileSync(join(dir, 'config-entries/service-defaults/api.hcl'), 'utf8')).toContain('Protocol = "grpc"');
    // No temporary file is left behind.
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['service-defaults/api.hcl', 'service-defaults/web.hcl']);
  });

  it('--only-unmanaged leaves entries consul-gitops already manages out', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'x.hcl' } });
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', Meta: { owner: 'team-a' } });
    const dir = tempTree({});
    const r = await runCli(['import', '--consul', server.url, '--only-unmanaged', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skipped service-defaults/web: already managed by consul-gitops');
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['service-defaults/api.json']);
    // User Meta is kept; ownership markers never are.
    expect(JSON.parse(readFileSync(join(dir, 'config-entries/service-defaults/api.json'), 'utf8'))).toEqual({
      Kind: 'service-defaults',
      Name: 'api',
      Protocol: 'http',
      Meta: { owner: 'team-a' },
    });
  });

  it('a name that is not a safe file name is escaped, never a path', async () => {
    await put({ Kind: 'service-intentions', Name: '*', Sources: [{ Name: 'web', Action: 'deny' }] });
    const dir = tempTree({});
    const r = await runCli(['import', '--consul', server.url], dir);
    expect(r.code).toBe(0);
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['service-intentions/%2A.hcl']);
  });
});

describe('round trip is checked before anything is written', () => {
  it('an entry HCL cannot hold faithfully is refused naming the field; nothing is written; JSON holds it', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    // A one-element list inside an opaque map: Consul's HCL decoder unwraps it to its element
    // (lib/decode unSlice), so no HCL text reads back as this list. JSON keeps it.
    await put({ Kind: 'proxy-defaults', Name: 'global', Config: { envoy: { ports: ['8443'] } } });
    const dir = tempTree({});
    const hcl = await runCli(['import', '--consul', server.url], dir);
    expect(hcl.code).toBe(1);
    expect(hcl.stderr).toContain(
      'error: proxy-defaults/global: Config.envoy.ports: would not read back as Consul holds it in this format (changed); try another --format',
    );
    expect(hcl.stderr).toContain('1 entry cannot be imported; nothing was written');
    expect(existsSync(join(dir, 'config-entries'))).toBe(false);

    const json = await runCli(['import', '--consul', server.url, '--format', 'json'], dir);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config-entries/proxy-defaults/global.json'), 'utf8'))).toEqual({
      Kind: 'proxy-defaults',
      Name: 'global',
      Config: { envoy: { ports: ['8443'] } },
    });
  });
});
