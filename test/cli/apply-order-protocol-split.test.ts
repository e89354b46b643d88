// "Valid before and after, refused on the way": two services joined by a splitter that stays, both
// changing protocol in one apply. Consul checks the chain after each write, so whichever
// service-defaults goes first leaves the chain with two protocols and is refused; no order works.
// The plan simulates each write against the dev server's check (src/core/plan/write-simulation.ts)
// and stops before any write, naming each file and line and the two applies that work.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

const defaults = (name: string, protocol: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "${protocol}"\n`;
const splitter = `Kind = "service-splitter"\nName = "web"\nSplits = [\n  { Weight = 90 },\n  { Weight = 10, Service = "api" },\n]\n`;

const protocolOf = async (name: string) => ((await (await fetch(`${server.url}/v1/config/service-defaults/${name}`)).json()) as { Protocol: string }).Protocol;

describe('protocols changed across a splitter that stays: the plan stops before any write', () => {
  it('names both service-defaults with file and line and Consul’s text; the suggested two applies pass', async () => {
    const cwd = tempTree({
      'config-entries/web.hcl': defaults('web', 'http'),
      'config-entries/api.hcl': defaults('api', 'http'),
      'config-entries/s.hcl': splitter,
    });
    const setup = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);

    writeFileSync(join(cwd, 'config-entries/web.hcl'), defaults('web', 'grpc'));
    writeFileSync(join(cwd, 'config-entries/api.hcl'), defaults('api', 'grpc'));
    // validate judges the final state alone: it is valid.
    expect((await runCli(['validate'], cwd)).code).toBe(0);
    const run = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'config-entries/api.hcl:3:1: Protocol: discovery chain "web" uses inconsistent protocols; service "api" has "grpc" which is not "http"',
    );
    expect(run.stderr).toContain('config-entries/web.hcl:3:1: Protocol: discovery chain "web" uses inconsistent protocols');
    expect(run.stderr).toContain('first without service-splitter "web" (delete it with --prune along with the protocol change), then with it again');
    // Nothing was written, nor tried.
    expect(run.stdout).not.toContain('Applying:');
    expect(await protocolOf('web')).toBe('http');
    expect(await protocolOf('api')).toBe('http');

    // The way through: without the splitter first, then with it again.
    rmSync(join(cwd, 'config-entries/s.hcl'));
    const step1 = await runCli(['apply', '--auto-approve', '--prune', '--consul', server.url], cwd);
    expect(step1.stderr).toBe('');
    expect(step1.code).toBe(0);
    writeFileSync(join(cwd, 'config-entries/s.hcl'), splitter);
    const step2 = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(step2.stderr).toBe('');
    expect(step2.code).toBe(0);
    expect(await protocolOf('web')).toBe('grpc');
    expect(await protocolOf('api')).toBe('grpc');
    expect((await runCli(['plan', '--detailed-exitcode', '--consul', server.url], cwd)).code).toBe(0);
  });
});
