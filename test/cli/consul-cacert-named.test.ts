// CONSUL_CACERT naming the wrong CA, a file that holds no certificate, or nothing readable: node says
// only "self-signed certificate in certificate chain", and the operator had to guess which setting
// was wrong. The error now names the variable (or the target's consul.caCert) and the path, from the
// CLI, from the reconcile Lambda and from serve.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { startTlsFront, type TlsFront } from '../support/tls-front.ts';
import { selfSignedCert } from '../support/self-signed-cert.ts';
import { startServerlessHarness } from '../support/serverless-harness.ts';
import { startServeHarness } from '../support/serve-harness.ts';
import { pushOf } from '../support/github-events.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

let consul: DevServer;
let front: TlsFront;
let dir: string;
let otherCa: string;
let keyOnly: string;
let garbage: string;

beforeAll(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  front = await startTlsFront(consul.url);
  dir = mkdtempSync(join(tmpdir(), 'cacert-named-'));
  // Another CA's certificate: well formed, but not what signed the front's.
  otherCa = join(dir, 'other-ca.pem');
  keyOnly = join(dir, 'key-only.pem');
  selfSignedCert(keyOnly, otherCa, 'other-ca');
  garbage = join(dir, 'notes.txt');
  writeFileSync(garbage, 'this is not a certificate\n');
});
afterAll(async () => {
  await front.close();
  await consul.close();
});

const tree = () => tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });

describe('plan with CONSUL_CACERT', () => {
  it('naming another CA: the error names CONSUL_CACERT and the file', async () => {
    process.env.CONSUL_CACERT = otherCa;
    const r = await runCli(['plan', '--dir', 'config-entries', '--consul', front.url], tree());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Consul's certificate is not trusted by the CA file ${otherCa} (CONSUL_CACERT)`);
  });

  it('naming a file with no certificate (a key, a text): refused before any request, naming both', async () => {
    process.env.CONSUL_CACERT = keyOnly;
    const key = await runCli(['plan', '--dir', 'config-entries', '--consul', front.url], tree());
    expect(key.code).not.toBe(0);
    expect(key.stderr).toContain(`the CA file ${keyOnly} named by CONSUL_CACERT holds no PEM certificate (only PRIVATE KEY)`);
    process.env.CONSUL_CACERT = garbage;
    const text = await runCli(['plan', '--dir', 'config-entries', '--consul', front.url], tree());
    expect(text.stderr).toContain(`the CA file ${garbage} named by CONSUL_CACERT holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" block)`);
  });

  it('naming a directory: cannot be read, naming both', async () => {
    process.env.CONSUL_CACERT = dir;
    const r = await runCli(['plan', '--dir', 'config-entries', '--consul', front.url], tree());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`cannot read CA file ${dir}: .* \\(named by CONSUL_CACERT\\)`));
  });

  it("a target's consul.caCert is named as such", async () => {
    const cwd = tree();
    writeFileSync(
      join(cwd, 'consul-gitops.yaml'),
      `targets:\n  - name: dc1\n    dir: config-entries\n    consul:\n      address: ${front.url}\n      caCert: ${otherCa}\n`,
    );
    const r = await runCli(['plan'], cwd);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`not trusted by the CA file ${otherCa} (consul.caCert of target "dc1" in consul-gitops.yaml)`);
  });
});

describe('the reconcile Lambda and serve with CONSUL_CACERT naming another CA', () => {
  it('log the variable and the file', async () => {
    const lambda = await startServerlessHarness({ env: { CONSUL_HTTP_ADDR: front.url, CONSUL_CACERT: otherCa } });
    try {
      const sha = lambda.github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\n' }, 'api', { branch: 'master' });
      await lambda.deliver('push', pushOf(sha)).catch(() => undefined);
      expect(lambda.logs.join('\n')).toContain(`not trusted by the CA file ${otherCa} (CONSUL_CACERT)`);
    } finally {
      await lambda.close();
    }
    const serve = await startServeHarness({ env: { CONSUL_HTTP_ADDR: front.url, CONSUL_CACERT: otherCa } });
    try {
      await serve.push({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\n' });
      expect(serve.logs.join('\n')).toContain(`not trusted by the CA file ${otherCa} (CONSUL_CACERT)`);
    } finally {
      await serve.close();
    }
  });
});
