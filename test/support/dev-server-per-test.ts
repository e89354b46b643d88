// The dev server as Consul for every test of a file: a fresh one on 127.0.0.1 (free port) before
// each test, closed after it, so no test sees another's entries.
import { afterEach, beforeEach } from 'vitest';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/dev-server/server.ts';

export interface DevServerPerTest {
  /** The running test's server, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Replaces the running test's server with one started with `options` (e.g. latency), empty. */
  restart(options: DevServerOptions): Promise<void>;
  /** PUT /v1/config with `entry`, as a write behind consul-gitops' back: Consul's answer text (`true`, or why not). */
  put(entry: object): Promise<string>;
}

export function devServerPerTest(options: DevServerOptions = {}): DevServerPerTest {
  let current: DevServer | undefined;
  const start = (o: DevServerOptions) => startDevServer({ port: 0, host: '127.0.0.1', ...o });
  beforeEach(async () => {
    current = await start(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get url() {
      if (!current) throw new Error('the dev server runs only inside a test');
      return current.url;
    },
    async restart(o) {
      await current?.close();
      current = await start(o);
    },
    async put(entry) {
      if (!current) throw new Error('the dev server runs only inside a test');
      return (await fetch(`${current.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) })).text();
    },
  };
}
