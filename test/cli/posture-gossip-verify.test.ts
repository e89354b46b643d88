// `audit --posture`'s transport-gossip-encryption through main(): an agent with a gossip key still
// accepts (or sends) plaintext gossip while encrypt_verify_incoming/outgoing is false, as in the
// middle of a rolling key rollout; the check passes only when both are true, and cannot pass when
// the agent does not show them (an agent before 1.12 shows them flat in DebugConfig).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INSECURE_AGENT, SECURE_AGENT, type AgentProfile } from '../../src/dev-server/agent-routes.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startRewritingConsul, type RewritingConsul } from '../support/rewriting-consul.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

let server: DevServer | undefined;
let front: RewritingConsul | undefined;
afterEach(async () => {
  await front?.close();
  await server?.close();
  server = front = undefined;
});

async function gossipCheck(agent: AgentProfile, rewriteSelf?: (self: any) => unknown) {
  server = await startDevServer({ port: 0, host: '127.0.0.1', agent });
  if (rewriteSelf) front = await startRewritingConsul(server.url, '/v1/agent/self', rewriteSelf);
  const dir = tempTree({});
  writeFileSync(join(dir, 'consul-gitops.yaml'), 'targets:\n  - name: dc1\n    dir: config-entries\n');
  const url = front?.url ?? server.url;
  const json = await runCli(['audit', '--posture', '--json', '--consul', url, '--require', 'transport-gossip-encryption'], dir);
  const text = await runCli(['audit', '--posture', '--consul', url, '--require', 'transport-gossip-encryption'], dir);
  const out = JSON.parse(json.stdout) as { findings: { id: string; status: string; evidence: string; fix: string }[] };
  return { code: json.code, textCode: text.code, text: text.stdout, finding: out.findings.find((f) => f.id === 'transport-gossip-encryption')! };
}

describe('audit --posture: gossip encryption is enforced, not only keyed', () => {
  it('passes with a key and both verify flags true, saying why one agent speaks for its pool', async () => {
    const r = await gossipCheck(SECURE_AGENT);
    expect(r.finding.status).toBe('pass');
    expect(r.finding.evidence).toBe(
      'agent consul-dev: Stats.serf_lan.encrypted = true, encrypt_verify_incoming and encrypt_verify_outgoing = true: this agent refuses unencrypted gossip, so the members of its pool must encrypt to reach it',
    );
    expect(r.code).toBe(0);
  });

  it('fails a key with encrypt_verify_incoming = false (a rollout left half done): the agent still accepts plaintext', async () => {
    const r = await gossipCheck({ ...SECURE_AGENT, encryptVerifyIncoming: false });
    expect(r.finding.status).toBe('fail');
    expect(r.finding.evidence).toBe(
      'agent consul-dev: gossip has a key, but encrypt_verify_incoming = false (it accepts unencrypted gossip, so other members may gossip in plaintext)',
    );
    expect(r.finding.fix).toBe('finish the key rollout: set encrypt_verify_incoming = true on every agent and restart them one at a time');
    expect(r.code).toBe(1);
    expect(r.textCode).toBe(1);
    expect(r.text).toMatch(/^transport-gossip-encryption\s+FAIL\s+agent consul-dev: gossip has a key, but encrypt_verify_incoming = false/m);
  });

  it('fails a key with encrypt_verify_outgoing = false, naming that flag', async () => {
    const r = await gossipCheck({ ...SECURE_AGENT, encryptVerifyOutgoing: false });
    expect(r.finding.status).toBe('fail');
    expect(r.finding.evidence).toContain('encrypt_verify_outgoing = false (it sends its own gossip unencrypted)');
    expect(r.finding.evidence).not.toContain('encrypt_verify_incoming');
    expect(r.code).toBe(1);
  });

  it('is unknown, and gates under --require, when the agent does not show the verify flags (a redacted DebugConfig)', async () => {
    const r = await gossipCheck(SECURE_AGENT, (self) => {
      delete self.DebugConfig.StaticRuntimeConfig;
      return self;
    });
    expect(r.finding.status).toBe('unknown');
    expect(r.finding.evidence).toContain('no StaticRuntimeConfig.EncryptVerifyIncoming/EncryptVerifyOutgoing');
    expect(r.code).toBe(1);
  });

  it('reads the flags flat in DebugConfig from an agent before 1.12', async () => {
    const flat = (incoming: boolean) => (self: any) => {
      delete self.DebugConfig.StaticRuntimeConfig;
      Object.assign(self.DebugConfig, { EncryptVerifyIncoming: incoming, EncryptVerifyOutgoing: true });
      return self;
    };
    expect((await gossipCheck(SECURE_AGENT, flat(true))).finding.status).toBe('pass');
    await front?.close();
    await server?.close();
    const r = await gossipCheck(SECURE_AGENT, flat(false));
    expect(r.finding.status).toBe('fail');
    expect(r.finding.evidence).toContain('encrypt_verify_incoming = false');
  });

  it('fails a server whose WAN pool is not encrypted though its LAN pool is', async () => {
    const r = await gossipCheck(SECURE_AGENT, (self) => {
      self.Stats.serf_wan.encrypted = 'false';
      return self;
    });
    expect(r.finding.status).toBe('fail');
    expect(r.finding.evidence).toBe('agent consul-dev: LAN gossip is encrypted but Stats.serf_wan.encrypted = false');
  });

  it('still fails an agent without a key (consul agent -dev), whose verify flags are true by default', async () => {
    const r = await gossipCheck(INSECURE_AGENT);
    expect(r.finding.status).toBe('fail');
    expect(r.finding.evidence).toBe('agent consul-dev: Stats.serf_lan.encrypted = false');
  });
});

describe('GET /v1/agent/self shows the gossip verify flags where Consul 1.12+ does', () => {
  it('DebugConfig.StaticRuntimeConfig: both true by default (consul agent -dev) and with --secure', async () => {
    for (const agent of [INSECURE_AGENT, SECURE_AGENT]) {
      server = await startDevServer({ port: 0, host: '127.0.0.1', agent });
      const self = (await (await fetch(`${server.url}/v1/agent/self`)).json()) as any;
      expect(self.DebugConfig.StaticRuntimeConfig).toEqual({ EncryptVerifyIncoming: true, EncryptVerifyOutgoing: true });
      expect(self.DebugConfig.EncryptVerifyIncoming).toBeUndefined();
      await server.close();
      server = undefined;
    }
  });
});
