// A Consul address written with credentials (`https://user:password@host`) never shows its password:
// not in the errors of a malformed address or a wrong scheme, wherever the address was given (the
// --consul flag, CONSUL_HTTP_ADDR, consul-gitops.yaml), nor in plan, plan --json, the saved plan, apply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const PASSWORD = 'pw-Kx81sQz0recognisable';
const ENTRY = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd }, { env });
  return { code, stdout, stderr, all: `${stdout}\n${stderr}` };
}

describe('a Consul address with credentials', () => {
  const consul = devServerPerTest();

  it('is refused without its password when it is malformed (--consul)', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': ENTRY });
    const r = await run(['plan', '--consul', `http://ops:${PASSWORD}@[::1`], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid Consul address "http://…@[::1"');
    expect(r.all).not.toContain(PASSWORD);
  });

  it('is refused without its password when its scheme is wrong (CONSUL_HTTP_ADDR)', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': ENTRY });
    const r = await run(['plan'], cwd, { CONSUL_HTTP_ADDR: `ftp://ops:${PASSWORD}@consul.example:8500` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unsupported scheme in Consul address "ftp://…@consul.example:8500"');
    expect(r.all).not.toContain(PASSWORD);
  });

  it('is refused without its password when consul-gitops.yaml holds it, even with "@" in the password', async () => {
    const cwd = tempTree({
      'config-entries/web.hcl': ENTRY,
      'consul-gitops.yaml': `targets:\n  - name: prod\n    consul:\n      address: "https://ops:${PASSWORD}@x@[bad"\n`,
    });
    const r = await run(['validate'], cwd);
    expect(r.code).toBe(0);
    const p = await run(['plan'], cwd);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('invalid Consul address');
    expect(p.all).not.toContain(PASSWORD);
    expect(p.all).not.toContain('@x@');
  });

  it('works and never prints its password in plan, plan --json, the saved plan or apply', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': ENTRY });
    const address = consul.url.replace('http://', `http://ops:${PASSWORD}@`);
    const plan = await run(['plan', '--consul', address], cwd);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('+ create service-defaults/web');
    const json = await run(['plan', '--json', '--consul', address], cwd);
    expect(json.code).toBe(0);
    const saved = await run(['plan', '--out', 'web.plan', '--consul', address], cwd);
    expect(saved.code).toBe(0);
    const apply = await run(['apply', '--auto-approve', '--consul', address], cwd);
    expect(apply.code).toBe(0);
    for (const text of [plan.all, json.all, saved.all, apply.all, readFileSync(join(cwd, 'web.plan'), 'utf8')]) expect(text).not.toContain(PASSWORD);
  });
});
