// Issue 16: import reads every kind as plan does, so a list ACLs cut short stops it before any file
// is written: an import missing what the token may not read would look like the whole mesh.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

const ROOT = 'root-16a0c0de-0000-4000-8000-000000000001';
const WEB_ONLY = 'web-16a0c0de-0000-4000-8000-000000000002';

// A fresh dev server with default-deny ACLs for each test (test/support/dev-server-per-test.ts).
const server = devServerPerTest({
  acl: {
    defaultPolicy: 'deny',
    tokens: [
      { secret: ROOT, management: true },
      { secret: WEB_ONLY, rules: { service_prefix: { web: 'read' } } },
    ],
  },
});
beforeEach(async () => {
  for (const body of [
    { Kind: 'service-defaults', Name: 'web', Protocol: 'http' },
    { Kind: 'service-defaults', Name: 'billing', Protocol: 'http' },
  ]) {
    const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', headers: { 'X-Consul-Token': ROOT }, body: JSON.stringify(body) });
    expect(await res.text()).toBe('true');
  }
});

function repo(token: string): string {
  const dir = tempTree({ token: `${token}\n` });
  writeFileSync(join(dir, 'consul-gitops.yaml'), `targets:\n  - name: dc1\n    dir: config-entries\n    consul:\n      tokenFile: ${join(dir, 'token')}\n`);
  return dir;
}

it('a token that may read only some services: import stops, names the permission, writes nothing', async () => {
  const dir = repo(WEB_ONLY);
  const r = await runCli(['import', '--consul', server.url, '--kinds', 'service-defaults'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('is incomplete');
  expect(r.stderr).toContain('X-Consul-Results-Filtered-By-ACLs');
  expect(r.stderr).not.toContain(WEB_ONLY);
  expect(existsSync(join(dir, 'config-entries'))).toBe(false);
});

it('no token under default-deny: import stops rather than write the anonymous view', async () => {
  const dir = tempTree({});
  const r = await runCli(['import', '--consul', server.url], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('no token was sent');
  expect(existsSync(join(dir, 'config-entries'))).toBe(false);
});

it('a token that reads everything imports everything', async () => {
  const dir = repo(ROOT);
  const r = await runCli(['import', '--consul', server.url, '--kinds', 'service-defaults'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(existsSync(join(dir, 'config-entries/service-defaults/billing.hcl'))).toBe(true);
  expect(existsSync(join(dir, 'config-entries/service-defaults/web.hcl'))).toBe(true);
});
