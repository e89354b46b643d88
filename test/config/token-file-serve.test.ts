// `serve --env-file FILE` whose TARGETS_CONFIG names a relative tokenFile reads it from the env
// file's folder, as consul-gitops.yaml's are read from its own: a systemd unit runs serve from `/`.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveCommand } from '../../src/cli/serve-command.ts';
import { SECRET, signed } from '../functions/webhook/github-examples.ts';
import { pushOf } from '../support/github-events.ts';
import { tempTree } from '../support/run-cli.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { DEFAULT_BRANCH, GITHUB_TOKEN, OWNER, REPO } from '../support/serverless-harness.ts';

const token = `secret-${randomUUID()}`;
let h: ServeHarness;
afterEach(() => h.close());

describe('serve --env-file with a relative tokenFile in TARGETS_CONFIG', () => {
  it('reads the token next to the env file, whatever folder serve runs from', async () => {
    h = await startServeHarness({ startServe: false, consul: { aclToken: token } });
    const etc = tempTree({ 'consul.token': `${token}\n` });
    const targets = { targets: [{ name: 'prod', dir: 'config-entries', consul: { address: h.consul.url, tokenFile: 'consul.token' } }] };
    writeFileSync(join(etc, 'serve.env'), `TARGETS_CONFIG=${JSON.stringify(targets)}\nSCHEDULE_INTERVAL=0\n`);
    const elsewhere = tempTree({});
    mkdirSync(join(elsewhere, 'run'));

    let stdout = '';
    const logs: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const code = serveCommand(
      ['--port', '0', '--env-file', join(etc, 'serve.env')],
      { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => {} }, cwd: join(elsewhere, 'run') },
      stopped,
      {
        env: { GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN, GITHUB_API_URL: h.github.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}`, DEFAULT_BRANCH },
        overrides: { github: { throttle: false, retries: 0 } },
        log: (line) => logs.push(line),
      },
    );
    try {
      await vi.waitFor(() => expect(stdout).toMatch(/listening on /), { timeout: 30_000 });
      const url = /listening on (\S+)/.exec(stdout)![1];
      const sha = h.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'onboard api', {
        branch: DEFAULT_BRANCH,
      });
      const req = await signed('push', pushOf(sha));
      expect((await fetch(`${url}/webhook`, { method: 'POST', headers: req.headers, body: req.body })).status).toBe(202);
      // Done when the run ends, either way: then Consul holds the entry only if the token was read.
      await vi.waitFor(() => expect(logs.some((l) => /Reconcile (finished|failed)/.test(l))).toBe(true), { timeout: 30_000, interval: 50 });
      const failures = logs.filter((l) => l.includes('"error"'));
      expect(failures).toEqual([]);
      const live = await fetch(`${h.consul.url}/v1/config/service-defaults/api`, { headers: { 'x-consul-token': token } });
      expect(live.status).toBe(200);
      expect(logs.join('\n')).not.toContain(token);
    } finally {
      stop();
      expect(await code).toBe(0);
    }
  });
});
