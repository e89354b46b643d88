// One dev server as Consul for all the tests of a file (127.0.0.1, free port), started before the
// first and closed after the last, and the config-entry calls those tests make on it directly.
import { afterAll, beforeAll } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

export interface DevServerPerFile {
  /** The file's server, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** PUT /v1/config with `body`: Consul's answer text (`true`, or why not). */
  readonly put: (body: object) => Promise<string>;
  /** GET /v1/config/PATH (`kind/name`), as JSON. */
  readonly get: (path: string) => Promise<Record<string, any>>;
  /** DELETE /v1/config/PATH (`kind/name`). */
  readonly del: (path: string) => Promise<Response>;
}

export function devServerPerFile(): DevServerPerFile {
  let server: DevServer | undefined;
  beforeAll(async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });
  const url = () => {
    if (!server) throw new Error('the dev server runs only inside the tests of its file');
    return server.url;
  };
  return {
    get url() {
      return url();
    },
    put: async (body) => (await fetch(`${url()}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text(),
    get: async (path) => (await (await fetch(`${url()}/v1/config/${path}`)).json()) as Record<string, any>,
    del: (path) => fetch(`${url()}/v1/config/${path}`, { method: 'DELETE' }),
  };
}
