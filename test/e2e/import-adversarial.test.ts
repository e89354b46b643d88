// `consul-gitops import` against entries someone who may write to Consul but not to Git chose, and
// against a repository a careless user left in the way, through main() and the dev server: import
// writes the whole tree or nothing, only under --dir, and never a second file for an entry the
// tree already defines.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

async function put(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
  expect(await res.text(), JSON.stringify(body).slice(0, 80)).toBe('true');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

const importIn = (dir: string, ...extra: string[]) => runCli(['import', '--consul', server.url, ...extra], dir);

describe('import, adversarial', () => {
  it('a name too long for a file is refused by name, and nothing is written', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    // 240 characters: the file (244 bytes) fits the usual 255-byte limit, a temporary name beside it need not.
    await put({ Kind: 'service-defaults', Name: 'a'.repeat(240), Protocol: 'http' });
    await put({ Kind: 'service-defaults', Name: 'b'.repeat(260), Protocol: 'http' });
    const dir = tempTree({});
    const run = await importIn(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`service-defaults/${'b'.repeat(260)}: Name: `);
    expect(run.stderr).toContain('nothing was written');
    expect(filesUnder(join(dir, 'config-entries'))).toEqual([]);

    // Without the name no file can hold, the others are written, the 240-character one too.
    const del = await fetch(`${server.url}/v1/config/service-defaults/${'b'.repeat(260)}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const again = await importIn(dir);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(filesUnder(join(dir, 'config-entries'))).toEqual([`service-defaults/${'a'.repeat(240)}.hcl`, 'service-defaults/web.hcl']);
  });

  it('a folder on the way that is a link leading nowhere is refused before anything is written', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await put({ Kind: 'service-resolver', Name: 'web', ConnectTimeout: '5s' });
    // The resolver's folder is a dangling symbolic link: reading finds no file there, writing would fail.
    const dir = tempTree({});
    mkdirSync(join(dir, 'config-entries'));
    symlinkSync(join(dir, 'nowhere', 'deeper'), join(dir, 'config-entries', 'service-resolver'));
    const run = await importIn(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service-resolver/web: config-entries/service-resolver is a symbolic link');
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['service-resolver']);
  });

  it('a folder that leads out of --dir is refused; nothing is written outside or inside', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await put({ Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } } }] });
    const dir = tempTree({});
    const outside = tempTree({});
    mkdirSync(join(dir, 'config-entries'));
    symlinkSync(outside, join(dir, 'config-entries', 'service-router'));
    const run = await importIn(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service-router/web: config-entries/service-router is a symbolic link: a file written through it could land outside');
    expect(filesUnder(outside)).toEqual([]);
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['service-router']);
  });

  it('a link or a folder at the place of the file is refused, never followed nor called unchanged', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' });
    // web.hcl links to a file outside that says exactly what Consul holds; api.hcl is a folder.
    const outside = tempTree({ 'web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    const dir = tempTree({ 'config-entries/service-defaults/api.hcl/README.md': 'a folder\n' });
    symlinkSync(join(outside, 'web.hcl'), join(dir, 'config-entries/service-defaults/web.hcl'));
    const run = await importIn(dir, '--force');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service-defaults/web: config-entries/service-defaults/web.hcl is a symbolic link');
    expect(run.stderr).toContain('service-defaults/api: config-entries/service-defaults/api.hcl is not a regular file');
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['service-defaults/api.hcl/README.md', 'service-defaults/web.hcl']);
  });

  it('an entry the tree already defines in another file is not written a second time', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'grpc' });
    // The user's own layout: web as YAML in a folder of their choosing, saying what Consul holds;
    // api in HCL elsewhere, saying something else.
    const dir = tempTree({
      'config-entries/team-a/web.yaml': 'Kind: service-defaults\nName: web\nProtocol: http\n',
      'config-entries/team-b/all.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
    });
    const run = await importIn(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service-defaults/api: ');
    expect(run.stderr).toContain('config-entries/team-b/all.hcl');
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['team-a/web.yaml', 'team-b/all.hcl']);

    // --force replaces a file at import's own path, never a definition elsewhere: still refused.
    const forced = await importIn(dir, '--force');
    expect(forced.code).toBe(1);
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['team-a/web.yaml', 'team-b/all.hcl']);

    // Once api's file says what Consul holds, both are in place where they are.
    writeFileSync(join(dir, 'config-entries/team-b/all.hcl'), 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n');
    const ok = await importIn(dir);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('unchanged config-entries/team-a/web.yaml: already describes service-defaults/web');
    expect(ok.stdout).toContain('Import: 0 written, 2 already in place, 0 skipped.');
    expect(filesUnder(join(dir, 'config-entries'))).toEqual(['team-a/web.yaml', 'team-b/all.hcl']);
    expect(readFileSync(join(dir, 'config-entries/team-a/web.yaml'), 'utf8')).toBe('Kind: service-defaults\nName: web\nProtocol: http\n');
  });

  it('--force never replaces a file that also defines other entries', async () => {
    await put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    // Import's own path for web, written by hand with web (saying something else) and api in it.
    const text = 'Kind: service-defaults\nName: web\nProtocol: grpc\n---\nKind: service-defaults\nName: api\nProtocol: http\n';
    const dir = tempTree({ 'config-entries/service-defaults/web.yaml': text });
    const run = await importIn(dir, '--format', 'yaml', '--force');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'service-defaults/web: config-entries/service-defaults/web.yaml also defines service-defaults/api; --force would drop them from Git',
    );
    expect(readFileSync(join(dir, 'config-entries/service-defaults/web.yaml'), 'utf8')).toBe(text);
  });

  it('a Windows device name (CON, nul, Aux.x) never becomes a file name', async () => {
    for (const name of ['CON', 'nul', 'Aux.x', 'com1']) await put({ Kind: 'service-defaults', Name: name, Protocol: 'http' });
    const dir = tempTree({});
    const run = await importIn(dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const names = filesUnder(join(dir, 'config-entries')).map((p) => p.replace(/^service-defaults\//, ''));
    expect(names).toHaveLength(4);
    for (const n of names) expect(n.split('.')[0].toLowerCase()).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/);
  });
});
