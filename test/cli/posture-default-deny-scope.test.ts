// `consul-gitops audit --posture` through main() against the dev server (ACLs off, as
// `consul agent -dev`): a "*" intention whose only deny is for a cluster peer's services denies
// nothing local, and a peer's `web` is not this cluster's `web`. It is no default deny, and the posture must not say it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await server.close();
});

async function write(entry: unknown): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(await res.text()).toBe('true');
}

async function defaultDeny(): Promise<{ status: string; evidence: string }> {
  const cwd = tempTree({ 'consul-gitops.yaml': 'targets:\n  - name: dc1\n    dir: config-entries\n' });
  const run = await runCli(['audit', '--posture', '--json', '--consul', server.url], cwd);
  const out = JSON.parse(run.stdout) as { findings: Array<{ id: string; status: string; evidence: string }> };
  return out.findings.find((f) => f.id === 'intentions-default-deny')!;
}

describe('intentions-default-deny', () => {
  it('fails for a "*" deny that names only a peer\'s services', async () => {
    await write({ Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Peer: 'partner', Action: 'deny' }] });
    const check = await defaultDeny();
    expect(check.status).toBe('fail');
    expect(check.evidence).not.toContain('deny intention exists');
  });

  it('passes for the local "*" → "*" deny', async () => {
    await write({ Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Action: 'deny' }] });
    const check = await defaultDeny();
    expect(check.status).toBe('pass');
    expect(check.evidence).toContain('a "*" → "*" deny intention exists');
  });
  it("intentions-cover-services does not count a peer's service of the same name", async () => {
    await write({ Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Action: 'deny' }] });
    // `web` is named only as a source from the peer `partner`: the local `web` has no intention.
    await write({ Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Peer: 'partner', Action: 'allow' }] });
    for (const s of ['api', 'web']) {
      const res = await fetch(`${server.url}/v1/catalog/register`, {
        method: 'PUT',
        body: JSON.stringify({ Node: 'n1', Address: '10.0.0.7', Service: { Service: s, Port: 8080 } }),
      });
      expect(res.status).toBe(200);
    }
    const cwd = tempTree({ 'consul-gitops.yaml': 'targets:\n  - name: dc1\n    dir: config-entries\n' });
    const run = await runCli(['audit', '--posture', '--json', '--consul', server.url], cwd);
    const out = JSON.parse(run.stdout) as { findings: Array<{ id: string; status: string; evidence: string }> };
    const check = out.findings.find((f) => f.id === 'intentions-cover-services')!;
    expect(check.status).toBe('fail');
    expect(check.evidence).toBe('no intention names web');
  });
});
