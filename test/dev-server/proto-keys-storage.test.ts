// The dev server keeps a `__proto__` key of a user map as Consul does (a Go map): in a stored entry,
// in its GET, in a list, through a restart from its --data file, and in the raft-index bump that a
// changed value makes (the value is compared, not dropped on both sides). Over HTTP, on 127.0.0.1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const entry = (value: string) => `{"Kind":"service-defaults","Name":"web","Meta":{"__proto__":"${value}","keep":"k"}}`;
let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function getText(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
}

describe('the dev server and a __proto__ key of Meta', () => {
  it('keeps it through GET, list, a changed value and a restart from its data file', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'dev-proto-')), 'state.json');
    server = await startDevServer({ host: '127.0.0.1', port: 0, dataFile });
    expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: entry('x') })).text()).toBe('true');
    const first = JSON.parse(await getText(`${server.url}/v1/config/service-defaults/web`));
    expect(await getText(`${server.url}/v1/config/service-defaults`)).toContain('"__proto__":"x"');
    // Only the __proto__ value changes: a new ModifyIndex, as for any other key.
    expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: entry('y') })).text()).toBe('true');
    const second = await getText(`${server.url}/v1/config/service-defaults/web`);
    expect(second).toContain('"__proto__":"y"');
    expect(JSON.parse(second).ModifyIndex).toBeGreaterThan(first.ModifyIndex);
    await server.close();
    server = await startDevServer({ host: '127.0.0.1', port: 0, dataFile });
    expect(await getText(`${server.url}/v1/config/service-defaults/web`)).toContain('"__proto__":"y"');
  });
});
