// `consul-gitops plan` asks Consul for every kind before it reads the files (so Consul answers while
// they are parsed): a wrong file is still what the user is told about, whatever Consul answers to
// reads the plan no longer needs, and a failing read still fails a plan of valid files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1', latencyMs: 20 });
});
afterEach(async () => {
  await server.close();
});

const plan = (dir: string) => runCli(['plan', '--consul', server.url, '--detailed-exitcode'], dir);

describe('plan reads Consul while it reads the files', () => {
  it('reports a wrong file, not the reads it gave up, even when Consul fails them', async () => {
    const dir = tempTree({
      'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocl = "http"\n',
    });
    server.faults.failNext(100, { status: 500, body: 'rpc error making call: injected' });
    const run = await plan(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/api.hcl');
    expect(run.stderr).toContain('Protocl');
    expect(run.stderr).toContain('nothing was planned or applied');
    expect(run.stderr).not.toContain('rpc error making call');
    expect(run.stdout).toBe('');
  });

  it('fails a plan of valid files when a read fails, naming Consul’s error', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    // The version read is the first request and may fail too: its failure is only a warning.
    server.faults.failNext(3, { status: 403, body: 'Permission denied: token lacks mesh:read' });
    const run = await plan(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Permission denied|permission/i);
    expect(run.stdout).toBe('');
  });

  it('plans as before when Consul answers', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    const run = await plan(dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('+ create service-defaults/web');
  });
});
