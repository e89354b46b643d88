// `advise --write-branch` through main() (the dev server as Consul, in-memory sidecar traces, a real
// git repository in a temp dir) when someone committed to a proposal branch consul-gitops wrote:
// the branch keeps their commit, the output says it was left alone and why, and the run is not a
// failure. A branch only consul-gitops committed to is still updated.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { main } from '../../src/cli/main.ts';
import { trafficDouble } from '../support/traffic-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

let server: DevServer;
let repo: string;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await registerSidecar(server.url);
  repo = mkdtempSync(join(tmpdir(), 'cg-branch-kept-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'config-entries'));
  for (const [path, text] of Object.entries(TREE)) writeFileSync(join(repo, path), text);
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
});
afterEach(async () => {
  await server.close();
  rmSync(repo, { recursive: true, force: true });
});

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dana Dev',
      GIT_AUTHOR_EMAIL: 'dana@example.test',
      GIT_COMMITTER_NAME: 'Dana Dev',
      GIT_COMMITTER_EMAIL: 'dana@example.test',
    },
  }).trim();

// Git has no permissive service and the mesh still allows permissive mode: the lockdown branch.
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const BRANCH = 'consul-gitops/mesh-lockdown/default';

async function advise() {
  let stdout = '';
  let stderr = '';
  const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };
  const code = await main(
    ['advise', '--consul', server.url, '--stats', 'envoy', '--write-branch'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: repo },
    { now: () => new Date('2026-11-25T12:00:00Z'), trafficSource: () => trafficDouble(traces), env: {} },
  );
  return { code, stdout, stderr };
}

describe('advise --write-branch on a proposal branch someone committed to', () => {
  it('keeps their commit and says the branch was left alone', async () => {
    const first = await advise();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${BRANCH}: created`));

    // A reviewer adds a comment to the proposal on the branch itself.
    git('checkout', '-q', BRANCH);
    writeFileSync(join(repo, 'config-entries/mesh.hcl'), `# locked down after the November migration\n${git('show', `${BRANCH}:config-entries/mesh.hcl`)}\n`);
    git('commit', '-q', '-am', 'explain the lockdown');
    const theirs = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');

    const again = await advise();
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${BRANCH}: left alone: its last commit ${theirs.slice(0, 12)} (by Dana Dev) was not made by consul-gitops`);
    expect(git('rev-parse', BRANCH)).toBe(theirs);
    expect(git('log', '-1', '--format=%s', BRANCH)).toBe('explain the lockdown');
  });

  it('still updates a branch only consul-gitops committed to', async () => {
    const first = await advise();
    expect(first.stdout).toMatch(new RegExp(`${BRANCH}: created`));
    const before = git('rev-parse', BRANCH);
    // main moves on: the proposal is made again on the new base.
    writeFileSync(join(repo, 'config-entries/api.hcl'), `# api\n${TREE['config-entries/api.hcl']}`);
    git('commit', '-q', '-am', 'comment api');
    const again = await advise();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${BRANCH}: updated`));
    expect(git('rev-parse', BRANCH)).not.toBe(before);
    expect(git('rev-parse', `${BRANCH}^`)).toBe(git('rev-parse', 'main'));
  });
});
