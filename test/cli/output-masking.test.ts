// The CLI's own output (stderr, stdout, --json) never shows a token it loaded, whatever form a careless
// Consul or gateway quotes it in: every token is registered where it is loaded and main() masks its output.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type MainDeps } from '../../src/cli/main.ts';
import { startDevServer } from '../../src/dev-server/server.ts';
import { formsOf } from '../support/echoing-consul.ts';
import { startGitHubDouble } from '../support/github-double.ts';
import { trafficDouble } from '../support/traffic-double.ts';
import { tempTree } from '../support/run-cli.ts';

interface QuotingConsul {
  url: string;
  status: number;
  /** Every token received. */
  tokens: string[];
  close(): Promise<void>;
}

/** Answers every request with `status` and a body quoting the token raw, JSON-escaped and URL-encoded. */
async function startQuotingConsul(): Promise<QuotingConsul> {
  const double = { status: 403, tokens: [] as string[] } as QuotingConsul;
  const server: Server = createServer((req, res) => {
    const token = String(req.headers['x-consul-token'] ?? '');
    double.tokens.push(token);
    const body = `denied: token ${token} / ${JSON.stringify({ token })} / ?token=${encodeURIComponent(token)}`;
    res.writeHead(double.status, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  double.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return double;
}

const ENTRY = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';

async function run(argv: string[], cwd: string, env: Record<string, string>, deps: Omit<MainDeps, 'env'> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd }, { ...deps, env });
  return { code, stdout, stderr, all: `${stdout}\n${stderr}` };
}

/** A token whose raw, JSON-escaped, URL-encoded and base64 forms all differ. */
const newToken = () => `tok"en/${randomUUID()}+x=`;

function expectNoForm(text: string, token: string): void {
  for (const form of formsOf(token)) expect(text).not.toContain(form);
}

describe('the CLI never prints a token it loaded', () => {
  let consul: QuotingConsul;
  beforeAll(async () => {
    consul = await startQuotingConsul();
  });
  afterAll(() => consul.close());

  for (const status of [403, 500])
    for (const [command, extra] of [
      ['plan', []],
      ['plan', ['--json']],
      ['apply', ['--auto-approve']],
      ['apply', ['--auto-approve', '--json']],
      ['audit', []],
      ['audit', ['--json']],
    ] as const)
      it(`${command} ${extra.join(' ')} against a Consul answering ${status} with CONSUL_HTTP_TOKEN quoted`, async () => {
        consul.status = status;
        const token = newToken();
        const cwd = tempTree({ 'config-entries/web.hcl': ENTRY });
        const out = await run([command, ...extra, '--consul', consul.url], cwd, { CONSUL_HTTP_TOKEN: token });
        expect(out.code).toBe(1);
        expect(out.stderr).toMatch(/error/);
        expect(consul.tokens).toContain(token);
        expectNoForm(out.all, token);
        if ((extra as readonly string[]).includes('--json')) expect(JSON.parse(out.stdout.trim().split('\n').at(-1)!)).toHaveProperty('error');
      });

  it("a target's tokenFile and tokenEnv are masked too", async () => {
    consul.status = 403;
    for (const how of ['tokenFile', 'tokenEnv'] as const) {
      const token = newToken();
      const cwd = tempTree({ 'config-entries/web.hcl': ENTRY, 'consul.token': `${token}\n` });
      const source = how === 'tokenFile' ? `tokenFile: ${join(cwd, 'consul.token')}` : 'tokenEnv: PROD_CONSUL_TOKEN';
      writeFileSync(
        join(cwd, 'consul-gitops.yaml'),
        `targets:\n  - name: prod\n    dir: config-entries\n    consul:\n      address: ${consul.url}\n      ${source}\n`,
      );
      const out = await run(['plan'], cwd, how === 'tokenEnv' ? { PROD_CONSUL_TOKEN: token } : {});
      expect(out.code).toBe(1);
      expect(consul.tokens).toContain(token);
      expectNoForm(out.all, token);
    }
  });

  it('a token too short to mask is said once on stderr, by where it came from', async () => {
    consul.status = 403;
    const short = randomUUID().slice(0, 5);
    const cwd = tempTree({ 'config-entries/web.hcl': ENTRY });
    const out = await run(['plan', '--consul', consul.url], cwd, { CONSUL_HTTP_TOKEN: short });
    expect(out.code).toBe(1);
    expect(consul.tokens).toContain(short);
    const notices = out.stderr.split('\n').filter((l) => l.includes('shorter than 6 characters'));
    expect(notices).toEqual(['notice: a secret (env CONSUL_HTTP_TOKEN) is shorter than 6 characters: it cannot be masked in output; use a longer one']);
  });
});

describe('a plan whose Meta holds a token', () => {
  it('shows [redacted] in the text and --json plan, never the value', async () => {
    const server = await startDevServer({ port: 0, host: '127.0.0.1' });
    try {
      const token = newToken();
      const cwd = tempTree({ 'config-entries/web.hcl': `${ENTRY}Meta = {\n  note = ${JSON.stringify(token)}\n}\n` });
      for (const extra of [[], ['--json']]) {
        const out = await run(['plan', ...extra, '--consul', server.url], cwd, { CONSUL_HTTP_TOKEN: token });
        expect(out.code, out.stderr).toBe(0);
        expect(out.stdout).toContain('[redacted]');
        expect(out.stdout).toContain('web');
        expectNoForm(out.all, token);
      }
    } finally {
      await server.close();
    }
  });
});

describe('advise --open-prs with a GitHub that quotes GITHUB_TOKEN back', () => {
  it('prints neither the token nor any form of it', async () => {
    const consul = await startDevServer({ port: 0, host: '127.0.0.1' });
    const token = `ghp_${randomUUID().replaceAll('-', '')}"/+=`;
    const github = await startGitHubDouble({ token });
    try {
      await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true }) });
      await fetch(`${consul.url}/v1/catalog/register`, {
        method: 'PUT',
        body: JSON.stringify({
          Node: 'n1',
          Address: '10.0.0.7',
          Service: { Kind: 'connect-proxy', Service: 'orders-sidecar-proxy', Port: 20000, Proxy: { DestinationServiceName: 'orders' } },
        }),
      });
      const tree = {
        'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
        'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
      };
      github.addCommit(tree);
      const quoted = `bad credentials ${token} ${JSON.stringify({ token })} ?token=${encodeURIComponent(token)}`;
      github.fail({ path: /./, status: 500, body: { message: quoted }, times: 100 });
      const env = { GITHUB_TOKEN: token, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
      const out = await run(['advise', '--consul', consul.url, '--stats', 'envoy', '--open-prs'], tempTree(tree), env, {
        now: () => new Date('2026-11-25T12:00:00Z'),
        trafficSource: () => trafficDouble({ orders: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] }),
        github: { throttle: false, retries: 0 },
      });
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('bad credentials');
      expectNoForm(out.all, token);
    } finally {
      await github.close();
      await consul.close();
    }
  });
});
