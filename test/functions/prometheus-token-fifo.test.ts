// The schedule's advisor reading Prometheus with PROMETHEUS_BEARER_TOKEN_FILE naming a FIFO (a careless
// mount, or a hostile one): the read is refused at once, naming the variable and why, instead of the
// reconcile function waiting for a writer until its deadline. A child opens the FIFO for writing after
// 4 s, so a read that does wait ends with an empty token and a request sent: the test then fails, not hangs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

let h: ServerlessHarness;
let prometheus: Server;
let dir: string;
let writer: ChildProcess;
const authorizations: string[] = [];

beforeEach(async () => {
  prometheus = createServer((req, res) => {
    authorizations.push(String(req.headers.authorization ?? ''));
    req.resume();
    res.writeHead(401).end('no');
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'prom-fifo-'));
  const fifo = join(dir, 'token');
  execFileSync('mkfifo', [fifo]);
  writer = spawn('sh', ['-c', 'sleep 4; exec 3>"$0"', fifo], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  h = await startServerlessHarness({
    env: {
      PROMETHEUS_BEARER_TOKEN_FILE: fifo,
      TARGETS_CONFIG: `targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { prometheus: { url: "${url}", attempts: 1 } }\n`,
    },
  });
});
afterEach(async () => {
  writer.kill();
  await h.close();
  await new Promise<void>((resolve) => prometheus.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the Prometheus token file is a FIFO', () => {
  it('is refused at once with the variable named, and no request goes out without a token', async () => {
    h.github.addCommit(
      {
        'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
        'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
      },
      'onboard api',
      { branch: 'master' },
    );
    const started = Date.now();
    await h.tick('evt-1');
    expect(Date.now() - started).toBeLessThan(3500);
    // Said where the platform team reads the advisor: the posture issue (before, the run waited for a
    // writer, and the reason then read "cannot reach Prometheus: config").
    const issue = h.github.issues.find((i) => i.title === 'mTLS posture: dc1');
    expect(issue?.body).toContain('cannot read the Prometheus token file named by PROMETHEUS\\_BEARER\\_TOKEN\\_FILE: not a regular file (a FIFO)');
    expect(authorizations).toEqual([]);
  }, 30_000);
});
