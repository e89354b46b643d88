// A target on a Consul outside the modelled range is a warning with its own code, not a refusal:
// fields of a newer Consul show as "would be removed" and need --allow-field-loss. `plan --json`
// names it unsupported-consul-version, so a script tells it from a contradicted consulVersion (target-version).
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
});

const tree = () => tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });

async function warningsAgainst(version: string, files = tree()): Promise<{ code: string; message: string }[]> {
  server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: version });
  const run = await runCli(['plan', '--json', '--consul', server.url], files);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { warnings: { code: string; message: string }[] }).warnings;
}

describe('unsupported Consul version in plan --json', () => {
  it('a server newer than the newest modelled: unsupported-consul-version', async () => {
    const warnings = await warningsAgainst('2.2.0');
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'unsupported-consul-version', message: expect.stringContaining('newer than the newest version') }),
    ]);
  });

  it('a server older than the oldest supported: unsupported-consul-version', async () => {
    const warnings = await warningsAgainst('1.19.2');
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'unsupported-consul-version', message: expect.stringContaining('older than the oldest version') }),
    ]);
  });

  it('a configured consulVersion the server contradicts stays target-version', async () => {
    const files = tree();
    const fs = await import('node:fs');
    const path = await import('node:path');
    fs.writeFileSync(path.join(files, 'consul-gitops.yaml'), 'targets:\n  - name: default\n    dir: config-entries\n    consulVersion: 2.0.3\n');
    const warnings = await warningsAgainst('2.0.4', files);
    expect(warnings).toEqual([expect.objectContaining({ code: 'target-version', message: expect.stringContaining('consulVersion "2.0.3"') })]);
  });
});
