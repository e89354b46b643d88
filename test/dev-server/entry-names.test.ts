// Names as Consul's store addresses them: every kind's name rule (src/model/kinds/*.ts) decides what
// a write is stored under and what a DELETE addresses, and the id index refuses an empty name.
import { describe, expect, it } from 'vitest';
import { call, useServers } from './support.ts';

const start = useServers();
const INDEX_ERROR = 'failed inserting config entry: object is missing a value for this index';

describe('entry names', () => {
  it('refuses an unnamed entry of any kind whose Validate lets an empty name through, and stores nothing', async () => {
    const s = await start();
    const kinds = [
      { Kind: 'http-route' },
      { Kind: 'tcp-route' },
      { Kind: 'file-system-certificate' },
      { Kind: 'ingress-gateway' },
      { Kind: 'terminating-gateway' },
    ];
    for (const body of kinds) {
      const res = await call(s.url, 'PUT', '/v1/config', body);
      expect([body.Kind, res.status, res.text]).toEqual([body.Kind, 500, INDEX_ERROR]);
      const list = await call(s.url, 'GET', `/v1/config/${body.Kind}`);
      expect([body.Kind, list.json()]).toEqual([body.Kind, []]);
    }
  });

  it('stores proxy-defaults without a name as "global" and mesh as "mesh", and deletes them by any name their rule allows', async () => {
    const s = await start();
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'proxy-defaults' })).json()).toBe(true);
    expect((await call(s.url, 'GET', '/v1/config/proxy-defaults/global')).json().Name).toBe('global');
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'mesh' })).json()).toBe(true);
    const mesh = (await call(s.url, 'GET', '/v1/config/mesh/mesh')).json();
    expect(mesh).not.toHaveProperty('Name');

    const refused = await call(s.url, 'DELETE', '/v1/config/proxy-defaults/x%22y');
    expect([refused.status, refused.text]).toEqual([500, 'invalid name ("x\\"y"), only "global" is supported']);
    expect((await call(s.url, 'DELETE', '/v1/config/mesh/anything')).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/config/mesh/mesh')).status).toBe(404);
    expect((await call(s.url, 'DELETE', '/v1/config/proxy-defaults/global')).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/config/proxy-defaults/global')).status).toBe(404);
  });

  it('does not fill the name of exported-services on delete: only proxy-defaults is normalised', async () => {
    const s = await start();
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'exported-services', Name: 'default', Services: [] })).json()).toBe(true);
    expect((await call(s.url, 'DELETE', '/v1/config/exported-services/other')).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/config/exported-services/default')).status).toBe(200);
  });
});
