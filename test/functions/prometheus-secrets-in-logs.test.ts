// The schedule's drift run with the advisor reading Prometheus with a bearer token from a file (the
// value is in no environment variable): an auth proxy in front of Prometheus that refuses the token
// and quotes it back URL-encoded (as a login link would) must not carry it into the reconcile
// function's log (the advisor's failure is logged, not published on GitHub).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { formsOf } from '../support/echoing-consul.ts';

const PROMETHEUS_TOKEN = 'glc_prometheus/token+from=file';

let h: ServerlessHarness;
let prometheus: Server;
let dir: string;
const authorizations: string[] = [];

beforeEach(async () => {
  prometheus = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    authorizations.push(auth);
    req.resume();
    res.writeHead(401, { 'content-type': 'text/html' }).end(`<html><a href="/oauth2/start?rd=%2F&auth=${encodeURIComponent(auth)}">Sign in</a></html>`);
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'prom-token-'));
  writeFileSync(join(dir, 'token'), `${PROMETHEUS_TOKEN}\n`);
  const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  h = await startServerlessHarness({
    env: {
      PROMETHEUS_BEARER_TOKEN_FILE: join(dir, 'token'),
      TARGETS_CONFIG: `targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { prometheus: { url: "${url}", attempts: 1 } }\n`,
    },
  });
});
afterEach(async () => {
  await h.close();
  await new Promise<void>((resolve) => prometheus.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('reconcile function reading Prometheus with a token file', () => {
  it('never logs the token an auth proxy echoes', async () => {
    h.github.addCommit(
      {
        'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
        'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
      },
      'onboard api',
      { branch: 'master' },
    );
    await h.tick('evt-1');
    // The proxy was asked with the token, and its refusal reached the log.
    expect(authorizations).toContain(`Bearer ${PROMETHEUS_TOKEN}`);
    const text = h.logs.join('\n');
    expect(text).toContain('HTTP 401');
    for (const form of formsOf(PROMETHEUS_TOKEN)) {
      expect(text).not.toContain(form);
      expect(text).not.toContain(JSON.stringify(form).slice(1, -1));
    }
  });
});
