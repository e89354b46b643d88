// Which route answers a request, and how a method it lacks is refused, as Consul's mux and
// agent/http.go wrap do: exact paths and path prefixes, 404 with Go's text, 405 and OPTIONS with
// Allow, an escaped path decoded before routing, a bad escape refused. The router looks exact paths
// up instead of scanning; these answers must not move.
import { describe, expect, it } from 'vitest';
import { call, useServers } from './support.ts';

const start = useServers();

describe('dev server routing', () => {
  it('answers exact paths and prefixes, refuses unknown paths and methods with Consul texts and headers', async () => {
    const s = await start();
    const put = await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'a/b', Protocol: 'http' });
    expect(put.text).toBe('true');

    // A prefix route (GET one entry), with the name's slash escaped and decoded before routing.
    const one = await call(s.url, 'GET', '/v1/config/service-defaults/a%2Fb');
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({ Kind: 'service-defaults', Name: 'a/b' });
    expect(one.headers.get('x-consul-default-acl-policy')).toBe('allow');

    // /v1/config exact takes PUT only; /v1/config/ (prefix) takes GET and DELETE.
    const wrongMethod = await call(s.url, 'GET', '/v1/config');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.text).toBe('method GET not allowed');
    expect(wrongMethod.headers.get('allow')).toBe('OPTIONS,PUT');
    const options = await call(s.url, 'OPTIONS', '/v1/config/service-defaults');
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')).toBe('OPTIONS,GET,DELETE');
    expect(options.headers.get('x-consul-default-acl-policy')).toBe('allow');

    // An exact path is not a prefix: /v1/catalog/services/x is no route, /v1/catalog/service/x is.
    const notFound = await call(s.url, 'GET', '/v1/catalog/services/x');
    expect(notFound.status).toBe(404);
    expect(notFound.text).toBe('404 page not found\n');
    expect(notFound.headers.get('x-consul-default-acl-policy')).toBeNull();
    expect((await call(s.url, 'GET', '/v1/catalog/service/x')).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/status/leader')).text).toBe('"127.0.0.1:8300"');

    const badEscape = await call(s.url, 'GET', '/v1/config/service-defaults/%zz');
    expect(badEscape.status).toBe(400);
    expect(badEscape.text).toBe('invalid URL escape in path');

    // Our own /v1/dev/ endpoint has no Consul headers.
    const faults = await call(s.url, 'PUT', '/v1/dev/faults', { count: 0 });
    expect(faults.text).toBe('true');
    expect(faults.headers.get('x-consul-default-acl-policy')).toBeNull();
  });
});
