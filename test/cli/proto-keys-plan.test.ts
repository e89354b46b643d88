// A `__proto__` key of a user's map is data like any other key (Consul keeps it: a Go map): a file
// and a Consul that both hold it plan as a no-op, and one without it on either side is an update
// that names the key, in the text plan and in plan --json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const WITH_HCL = 'Kind = "service-defaults"\nName = "web"\nMeta {\n  "__proto__" = "x"\n  keep = "k"\n}\n';
const WITHOUT_HCL = 'Kind = "service-defaults"\nName = "web"\nMeta {\n  keep = "k"\n}\n';
const PROXY_HCL = 'Kind = "proxy-defaults"\nName = "global"\nConfig {\n  protocol = "http"\n  "__proto__" {\n    polluted = "yes"\n  }\n}\n';

async function put(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

describe('a __proto__ key of Meta in a plan', () => {
  const consul = devServerPerTest();

  it('is a no-op against a Consul that holds it', async () => {
    await put(consul.url, JSON.parse('{"Kind":"service-defaults","Name":"web","Meta":{"__proto__":"x","keep":"k"}}'));
    const cwd = tempTree({ 'config-entries/web.hcl': WITH_HCL });
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(plan.stdout).toContain('No changes');
    expect(plan.code).toBe(0);
  });

  it('is shown among the attributes of a create', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': WITH_HCL });
    const plan = await runAgainst(consul.url, planCommand, [], cwd);
    expect(plan.stdout).toContain('+ create service-defaults/web');
    expect(plan.stdout).toMatch(/\+ "?__proto__"?\s+= "x"/);
  });

  it('is an update adding the key against a Consul without it, and apply writes it', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': WITHOUT_HCL });
    expect((await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'config-entries/web.hcl'), WITH_HCL);
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ update service-defaults/web');
    expect(plan.stdout).toMatch(/\+ "?__proto__"?\s+= "x"/);
    const json = await runAgainst(consul.url, planCommand, ['--json'], cwd);
    expect(json.stdout).toContain('__proto__');
    const apply = await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd);
    expect(apply.code).toBe(0);
    const live = await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).text();
    expect(live).toContain('"__proto__":"x"');
    const again = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(again.code).toBe(0);
  });

  it('is an update removing the key when the file drops it', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': WITH_HCL });
    expect((await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'config-entries/web.hcl'), WITHOUT_HCL);
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- "?__proto__"?\s+= "x"/);
  });

  it('keeps an object under __proto__ in proxy-defaults Config through render, apply and a no-op plan', async () => {
    const cwd = tempTree({ 'config-entries/global.hcl': PROXY_HCL });
    const render = await runCli(['render', '--json'], cwd);
    expect(render.code).toBe(0);
    const config = JSON.parse(render.stdout)[0].Config;
    expect(Object.hasOwn(config, '__proto__')).toBe(true);
    expect(config.__proto__).toEqual({ polluted: 'yes' });
    const apply = await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd);
    expect(apply.code).toBe(0);
    const live = await (await fetch(`${consul.url}/v1/config/proxy-defaults/global`)).text();
    expect(live).toContain('"__proto__":{"polluted":"yes"}');
    const again = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(again.code).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shows an object under __proto__ that Consul holds and the file drops as an update', async () => {
    const cwd = tempTree({ 'config-entries/global.hcl': PROXY_HCL });
    expect((await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'config-entries/global.hcl'), 'Kind = "proxy-defaults"\nName = "global"\nConfig {\n  protocol = "http"\n}\n');
    await put(consul.url, JSON.parse('{"Kind":"proxy-defaults","Name":"global","Config":{"protocol":"http","__proto__":{}}}'));
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(plan.stdout).toContain('~ update proxy-defaults/global');
    expect(plan.code).toBe(2);
  });

  it('keeps __proto__ as a header name of a typed map (RequestHeaders.Add) through apply and the dev server', async () => {
    const router =
      'Kind = "service-router"\nName = "web"\nRoutes = [{\n  Destination {\n    RequestHeaders {\n      Add {\n        "__proto__" = "x"\n        keep = "k"\n      }\n    }\n  }\n}]\n';
    const cwd = tempTree({
      'config-entries/web-defaults.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
      'config-entries/web-router.hcl': router,
    });
    const render = await runCli(['render', '--json', '--normalized'], cwd);
    expect(render.code).toBe(0);
    expect(render.stdout).toContain('"__proto__": "x"');
    expect((await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd)).code).toBe(0);
    const live = await (await fetch(`${consul.url}/v1/config/service-router/web`)).text();
    expect(live).toContain('"__proto__":"x"');
    const again = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(again.code).toBe(0);
  });

  it('shows constructor added to Meta as an added key, not as a change from what every object inherits', async () => {
    const cwd = tempTree({ 'config-entries/web.hcl': WITHOUT_HCL });
    expect((await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'config-entries/web.hcl'), 'Kind = "service-defaults"\nName = "web"\nMeta {\n  keep = "k"\n  constructor = "c"\n}\n');
    const plan = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ constructor\s+= "c"/);
    expect(plan.stdout).not.toMatch(/~ constructor/);
  });
});
