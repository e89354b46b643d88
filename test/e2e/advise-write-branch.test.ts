// `advise --write-branch` end to end through main(): simulated sidecars, the dev server's KV history
// and a real temporary git repository. The ready service's proposal lands as a branch whose diff is
// the one-line mode flip, the working tree and the checked-out branch stay as they were, a second
// run leaves the branch unchanged; once Git has no permissive service, the mesh lockdown branch,
// with MeshDestinationsOnly only when no sidecar used the passthrough cluster.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SidecarScript, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import type { CliRun } from '../support/run-cli.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const MESH = 'Kind = "mesh"\n\nAllowEnablingPermissiveMutualTLS = true\n\nTransparentProxy {\n  MeshDestinationsOnly = false\n}\n';
const ORDERS =
  '# orders: the web tier moved to the mesh in November.\nKind          = "service-defaults"\nName          = "orders"\nProtocol      = "http"\nMutualTLSMode = "permissive"\n';
const BILLING = '{\n  "Kind": "service-defaults",\n  "Name": "billing",\n  "Protocol": "http",\n  "MutualTLSMode": "permissive"\n}\n';
const INTENTIONS = 'Kind = "service-intentions"\nName = "orders"\nSources = [\n  {\n    Name   = "web"\n    Action = "allow"\n  },\n]\n';

let server: DevServer | undefined;
let sidecars: SimulatedSidecars | undefined;
let repo: string | undefined;
let clock = T0;

beforeEach(() => {
  clock = T0;
});
afterEach(async () => {
  await sidecars?.close();
  await server?.close();
  if (repo) rmSync(repo, { recursive: true, force: true });
  sidecars = server = repo = undefined;
});

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.test', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.test' },
  }).trim();

function gitRepo(files: Record<string, string>): string {
  repo = mkdtempSync(join(tmpdir(), 'cg-advise-branch-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'config-entries'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, 'config-entries', name), text);
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  return repo;
}

async function mesh(scripts: SidecarScript[]): Promise<void> {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  sidecars = await startSimulatedSidecars(scripts, { now: () => clock });
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
}

async function advise(cwd: string, args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', server!.url, '--stats', 'envoy', '--window', '3m', ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => new Date(clock) },
  );
  return { code, stdout, stderr };
}

/**
 * Scheduled runs at 1 and 3 minutes, then the clock at 5: the KV history then spans the 3m window
 * (edge tolerance: two 60 s intervals). With no permissive service, only the lockdown step reads
 * the sidecars, so the schedule runs with --write-branch.
 */
async function collect(cwd: string, args: string[] = []): Promise<void> {
  for (const minute of [1, 3]) {
    clock = T0 + minute * MINUTE;
    expect((await advise(cwd, args)).code).toBe(0);
  }
  clock = T0 + 5 * MINUTE;
}

describe('advise --write-branch', () => {
  it('writes the ready service as a branch whose diff is one line, leaves the checkout alone, and is idempotent', async () => {
    await mesh([
      {
        service: 'orders',
        instance: 'orders-7d9f-abcde',
        protocol: 'http',
        plaintext: { connectionsPerSecond: 2, stopsAfterMs: 30_000 },
        mtls: { handshakesPerSecond: 3 },
      },
      { service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', plaintext: { connectionsPerSecond: 1 }, mtls: { handshakesPerSecond: 1 } },
    ]);
    const cwd = gitRepo({ 'mesh.hcl': MESH, 'orders.hcl': ORDERS, 'billing.json': BILLING, 'orders-intentions.hcl': INTENTIONS });
    await collect(cwd);
    const before = { head: git('rev-parse', 'HEAD'), branch: git('symbolic-ref', 'HEAD'), status: git('status', '--porcelain', '--untracked-files=all') };

    const r = await advise(cwd, ['--write-branch']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^orders\s+ready-for-strict/m);
    expect(r.stdout).toMatch(/^billing\s+still-receiving-plaintext/m);
    expect(r.stdout).toMatch(/Branches:\n {2}consul-gitops\/strict\/default\/default\/orders: created \([0-9a-f]{12}\)\n/);
    expect(r.stdout).not.toContain('consul-gitops/strict/default/default/billing');

    const branch = 'consul-gitops/strict/default/default/orders';
    expect(git('diff', '--name-only', 'main', branch)).toBe('config-entries/orders.hcl');
    const diff = git('diff', '-U0', 'main', branch)
      .split('\n')
      .filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).toEqual(['-MutualTLSMode = "permissive"', '+MutualTLSMode = "strict"']);
    const message = git('log', '-1', '--format=%B', branch);
    expect(message.split('\n')[0]).toBe('mTLS: move orders to strict');
    expect(message).toContain('web (allow) → orders');
    expect(message).toContain('orders-7d9f-abcde');
    expect(git('rev-parse', `${branch}^`)).toBe(before.head);
    expect({ head: git('rev-parse', 'HEAD'), branch: git('symbolic-ref', 'HEAD'), status: git('status', '--porcelain', '--untracked-files=all') }).toEqual(
      before,
    );

    // The next scheduled run: same tree on the same base, no new commit.
    const sha = git('rev-parse', branch);
    clock += MINUTE;
    const again = await advise(cwd, ['--write-branch']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${branch}: unchanged (${sha.slice(0, 12)})`);
    expect(git('rev-parse', branch)).toBe(sha);
  });

  it('once no service is permissive in Git, the lockdown branch: MeshDestinationsOnly held back while a sidecar reaches outside the mesh', async () => {
    await mesh([
      { service: 'orders', instance: 'orders-7d9f-abcde', protocol: 'http', mtls: { handshakesPerSecond: 3 }, passthroughPerSecond: 1 },
      { service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', mtls: { handshakesPerSecond: 1 } },
    ]);
    const strict = (t: string) => t.replace('"permissive"', '"strict"');
    const cwd = gitRepo({ 'mesh.hcl': MESH, 'orders.hcl': strict(ORDERS), 'billing.json': strict(BILLING) });
    await collect(cwd, ['--write-branch']);
    const r = await advise(cwd, ['--write-branch']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No service is permissive in Git: nothing to judge.');
    expect(r.stdout).toContain('Branches:\n  consul-gitops/mesh-lockdown/default: unchanged');
    expect(r.stdout).toContain(
      'MeshDestinationsOnly is held back: these services reached destinations outside the mesh inside the window:\n    - orders: 120 connections, last seen 2026-11-25T12:05:00Z\n',
    );
    expect(r.stdout).not.toContain('billing:');
    const branch = 'consul-gitops/mesh-lockdown/default';
    const diff = git('diff', '-U0', 'main', branch)
      .split('\n')
      .filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).toEqual(['-AllowEnablingPermissiveMutualTLS = true', '+AllowEnablingPermissiveMutualTLS = false']);
    expect(git('log', '-1', '--format=%s', branch)).toBe('mTLS: lock the mesh down (no permissive mode)');
  });

  it('MeshDestinationsOnly too when every sidecar shows no passthrough connection over the whole window', async () => {
    await mesh([
      { service: 'orders', instance: 'orders-7d9f-abcde', protocol: 'http', mtls: { handshakesPerSecond: 3 } },
      { service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', mtls: { handshakesPerSecond: 1 } },
    ]);
    const strict = (t: string) => t.replace('"permissive"', '"strict"');
    const cwd = gitRepo({ 'mesh.hcl': MESH, 'orders.hcl': strict(ORDERS), 'billing.json': strict(BILLING) });
    // Early runs lack the history: the branch holds MeshDestinationsOnly back and says why.
    clock = T0;
    const early = await advise(cwd, ['--write-branch']);
    expect(early.stdout).toMatch(
      /consul-gitops\/mesh-lockdown\/default: created .*\n {2}MeshDestinationsOnly is held back: passthrough traffic cannot be ruled out:\n {4}- \w+: passthrough samples start/,
    );
    await collect(cwd, ['--write-branch']);
    const r = await advise(cwd, ['--write-branch']);
    expect(r.stdout).not.toContain('held back');
    expect(r.stdout).toMatch(/consul-gitops\/mesh-lockdown\/default: (updated|unchanged)/);
    expect(r.code).toBe(0);
    const branch = 'consul-gitops/mesh-lockdown/default';
    const diff = git('diff', '-U0', 'main', branch)
      .split('\n')
      .filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).toEqual([
      '-AllowEnablingPermissiveMutualTLS = true',
      '+AllowEnablingPermissiveMutualTLS = false',
      '-  MeshDestinationsOnly = false',
      '+  MeshDestinationsOnly = true',
    ]);
    expect(git('log', '-1', '--format=%s', branch)).toBe('mTLS: lock the mesh down (no permissive mode, mesh destinations only)');
  });
});
