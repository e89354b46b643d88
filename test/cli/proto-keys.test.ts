// `__proto__`, `constructor` and `prototype` as keys of a user's map (Meta, proxy-defaults Config):
// data to Consul, whose maps are Go maps. Nothing consul-gitops does with them (decode, normalise,
// plan, apply, the dev server's storage) may change what every object inherits.
//
// A `__proto__` key is kept as an own key (src/model/own-key.ts), by the decoder and by the dev
// server's store, as Consul keeps it; test/cli/proto-keys-plan.test.ts pins what plan makes of it.
import { describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const SERVICE = '{"Kind":"service-defaults","Name":"web","Meta":{"__proto__":"x","constructor":"y","prototype":"z","keep":"k"}}';
const PROXY =
  '{"Kind":"proxy-defaults","Name":"global","Config":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"protocol":"http"}}';

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

describe('__proto__ and constructor as keys of a user map', () => {
  const consul = devServerPerTest();

  it('change nothing every object inherits, through render, plan, apply and the dev server', async () => {
    const cwd = tempTree({ 'config-entries/web.json': SERVICE, 'config-entries/global.json': PROXY });
    const render = await runCli(['render', '--json'], cwd);
    expect(render.code).toBe(0);
    const plan = await runAgainst(consul.url, planCommand, ['--json'], cwd);
    expect(plan.code).toBe(0);
    const apply = await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd);
    expect(apply.code).toBe(0);
    const again = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(again.stdout).toContain('No changes');
    expectNoPollution();
    const live = (await (await fetch(`${consul.url}/v1/config/proxy-defaults/global`)).json()) as { Config: Record<string, unknown> };
    expect(live.Config.protocol).toBe('http');
    expect(Object.getPrototypeOf(live.Config)).toBe(Object.prototype);
  });

  it('keeps constructor and prototype as keys of Meta', async () => {
    const cwd = tempTree({ 'config-entries/web.json': SERVICE });
    const render = await runCli(['render', '--json'], cwd);
    expect(JSON.parse(render.stdout)[0].Meta).toMatchObject({ constructor: 'y', prototype: 'z', keep: 'k' });
  });

  it('keeps __proto__ as a key of Meta, as Consul does', async () => {
    const cwd = tempTree({ 'config-entries/web.json': SERVICE });
    const render = await runCli(['render', '--json'], cwd);
    expect(Object.hasOwn(JSON.parse(render.stdout)[0].Meta, '__proto__')).toBe(true);
  });

  it('the dev server stores __proto__ as a key of Meta, as Consul does', async () => {
    const put = await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: SERVICE });
    expect(put.status).toBe(200);
    const text = await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).text();
    expect(text).toContain('"__proto__":"x"');
  });
});
