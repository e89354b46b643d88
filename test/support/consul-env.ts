// The Consul settings main() reads from the process environment, cleared before each test of a file
// and put back after it: no test takes a token or an address from the machine running it, and none
// leaves its own to the next test.
import { afterEach, beforeEach } from 'vitest';

/** Every variable through which the CLI may be told a Consul token, address or TLS setting. */
export const CONSUL_ENV_VARS = [
  'CONSUL_HTTP_TOKEN',
  'CONSUL_HTTP_TOKEN_FILE',
  'CONSUL_HTTP_ADDR',
  'CONSUL_HTTP_SSL_VERIFY',
  'CONSUL_CACERT',
  'CONSUL_CAPATH',
] as const;

/** Registers the hooks that clear `vars` before each test of the calling file and restore them after it. */
export function withoutConsulEnv(vars: readonly string[] = CONSUL_ENV_VARS): void {
  const saved = new Map<string, string | undefined>();
  beforeEach(() => {
    for (const k of vars) {
      saved.set(k, process.env[k]);
      delete process.env[k];
    }
  });
  afterEach(() => {
    for (const k of vars) {
      const v = saved.get(k);
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}
