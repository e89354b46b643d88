import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphError } from '../../src/dev-server/graph-check.ts';
import { call, useServers } from './support.ts';
import type { ApiEntry } from '../../src/model/kind-definition.ts';

const sd = (name: string, protocol?: string): ApiEntry => ({ Kind: 'service-defaults', Name: name, ...(protocol ? { Protocol: protocol } : {}) });
const pd = (protocol?: string): ApiEntry => ({ Kind: 'proxy-defaults', Name: 'global', ...(protocol ? { Config: { protocol } } : {}) });
const router = (name: string): ApiEntry => ({ Kind: 'service-router', Name: name });
const splitter = (name: string): ApiEntry => ({ Kind: 'service-splitter', Name: name, Splits: [{ Weight: 100 }] });
const chainMsg = (s: string, p: string) => `discovery chain "${s}" uses a protocol "${p}" that does not permit advanced routing or splitting behavior`;

describe('state-store graph validation', () => {
  it('routers/splitters need an HTTP-like protocol from service-defaults or proxy-defaults', () => {
    expect(graphError([], undefined, splitter('main'))).toBe(chainMsg('main', 'tcp'));
    expect(graphError([sd('main', 'tcp')], undefined, router('main'))).toBe(chainMsg('main', 'tcp'));
    expect(graphError([sd('main', 'http')], undefined, router('main'))).toBeUndefined();
    expect(graphError([pd('grpc')], undefined, splitter('main'))).toBeUndefined();
  });

  it('refuses removing or downgrading what a router/splitter depends on', () => {
    const main = sd('main', 'http');
    const s = splitter('main');
    expect(graphError([main, s], main, undefined)).toBe(chainMsg('main', 'tcp'));
    expect(graphError([main, s], main, sd('main', 'tcp'))).toBe(chainMsg('main', 'tcp'));
    const global = pd('http');
    expect(graphError([global, s], global, undefined)).toBe(chainMsg('main', 'tcp'));
    // still fine while a service-defaults provides http
    expect(graphError([global, main, s], global, undefined)).toBeUndefined();
    // the splitter itself can always go
    expect(graphError([main, s], s, undefined)).toBeUndefined();
  });

  it('gates permissive mTLS on the mesh entry, except for an entry already permissive', () => {
    const perm = { ...sd('web'), MutualTLSMode: 'permissive' };
    const msg = 'cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry';
    expect(graphError([], undefined, perm)).toBe(msg);
    expect(graphError([{ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }], undefined, perm)).toBeUndefined();
    expect(graphError([perm], perm, { ...perm, Protocol: 'http' })).toBeUndefined();
    expect(graphError([], undefined, { ...pd(), MutualTLSMode: 'permissive' })).toBe(msg);
    // deletes never check the gate
    expect(graphError([perm], perm, undefined)).toBeUndefined();
  });
});

describe('chains linking to a service, through the dev server', () => {
  const start = useServers();
  const dir = mkdtempSync(join(tmpdir(), 'graph-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = async (url: string, body: ApiEntry) => {
    const r = await call(url, 'PUT', '/v1/config', body);
    return r.status === 200 ? r.json() : r.text;
  };
  const toApi = { Kind: 'service-router', Name: 'web', Routes: [{ Match: { HTTP: { PathPrefix: '/api' } }, Destination: { Service: 'api' } }] };
  const refused = (chain: string) => `discovery chain "${chain}" uses inconsistent protocols; service "api" has "tcp" which is not "http"`;

  it('re-checks the chains that route, split or redirect to a changed service, whatever the case of the reference', async () => {
    const s = await start();
    for (const n of ['api', 'web', 'shop']) expect(await put(s.url, sd(n, 'http'))).toBe(true);
    expect(await put(s.url, toApi)).toBe(true);
    expect(await put(s.url, sd('api', 'tcp'))).toBe(refused('web'));
    // The router no longer reaches api: the link index forgets it.
    expect(await put(s.url, { ...toApi, Routes: [] })).toBe(true);
    expect(await put(s.url, { Kind: 'service-splitter', Name: 'shop', Splits: [{ Weight: 100, Service: 'API' }] })).toBe(true);
    expect(await put(s.url, sd('api', 'tcp'))).toMatch(/^discovery chain "shop" uses a protocol "tcp"/);
    expect((await call(s.url, 'DELETE', '/v1/config/service-splitter/shop')).status).toBe(200);
    expect(await put(s.url, sd('api', 'tcp'))).toBe(true);
  });

  it('keeps the links of a store restored from its data file', async () => {
    const dataFile = join(dir, 'state.json');
    const a = await start({ dataFile });
    for (const n of ['api', 'web']) expect(await put(a.url, sd(n, 'http'))).toBe(true);
    expect(await put(a.url, toApi)).toBe(true);
    await a.close();
    const b = await start({ dataFile });
    expect(await put(b.url, sd('api', 'tcp'))).toBe(refused('web'));
  });
});
