// `consul-gitops audit --posture` through main(), against the dev server set up as an insecure
// cluster (`consul agent -dev`, ACLs off) and as a secure one (ACLs default deny, gossip encryption,
// RPC TLS, an external CA, intentions), plus a token that may not read everything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPostureForDemo } from '../../src/cli/audit-command.ts';
import { parseAclPolicyFile } from '../../src/dev-server/acl-policy-file.ts';
import { SECURE_AGENT } from '../../src/dev-server/agent-routes.ts';
import { devServerCommand } from '../../src/dev-server/command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { startTlsFront } from '../support/tls-front.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

const ROOT = 'root-5e1f0000-0000-4000-8000-000000000001';
const RECONCILER = 'reconciler-5e1f0000-0000-4000-8000-000000000002';
const NARROW = 'narrow-5e1f0000-0000-4000-8000-000000000003';
const BROAD = 'broad-5e1f0000-0000-4000-8000-000000000004';
const ACL_WRITER = 'aclwriter-5e1f0000-0000-4000-8000-000000000005';

/** A repository whose consul-gitops.yaml reads the token from a file, as a user would configure it. */
function repo(token?: string, consulYaml = ''): string {
  const dir = tempTree({});
  const consul = token || consulYaml ? `    consul:\n${token ? `      tokenFile: ${join(dir, 'token')}\n` : ''}${consulYaml}` : '';
  writeFileSync(join(dir, 'consul-gitops.yaml'), `targets:\n  - name: dc1\n    dir: config-entries\n${consul}`);
  if (token) writeFileSync(join(dir, 'token'), `${token}\n`);
  return dir;
}

interface Finding {
  id: string;
  status: string;
  evidence: string;
  fix: string;
  permission?: string;
  checklistLine: string;
}

async function posture(server: DevServer, token: string | undefined, extra: string[] = []) {
  const r = await runCli(['audit', '--posture', '--json', '--consul', server.url, ...extra], repo(token));
  expect(r.stderr).toBe('');
  // /v1/acl/token/self echoes the SecretID: it must never reach a report.
  if (token) expect(r.stdout).not.toContain(token);
  const out = JSON.parse(r.stdout) as { findings: Finding[]; gating: string[]; ok: boolean; mtls: unknown };
  const by = Object.fromEntries(out.findings.map((f) => [f.id, f]));
  return { code: r.code, out, by, status: Object.fromEntries(out.findings.map((f) => [f.id, f.status])) };
}

async function seed(server: DevServer, token: string | undefined, entries: unknown[], services: string[]): Promise<void> {
  const headers: Record<string, string> = token ? { 'X-Consul-Token': token } : {};
  for (const e of entries) expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', headers, body: JSON.stringify(e) })).text()).toBe('true');
  for (const s of services) {
    const res = await fetch(`${server.url}/v1/catalog/register`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ Node: 'n1', Address: '10.0.0.7', Service: { Service: s, Port: 8080 } }),
    });
    expect(res.status).toBe(200);
    await fetch(`${server.url}/v1/catalog/register`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        Node: 'n1',
        Address: '10.0.0.7',
        Service: { Kind: 'connect-proxy', Service: `${s}-sidecar-proxy`, Port: 21000, Proxy: { DestinationServiceName: s } },
      }),
    });
  }
}

describe('audit --posture on an insecure cluster (consul agent -dev, ACLs off)', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ port: 0 });
    await seed(
      server,
      undefined,
      [
        { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, TLS: { Incoming: { TLSMinVersion: 'TLSv1_1' } } },
        { Kind: 'service-defaults', Name: 'web', MutualTLSMode: 'permissive' },
        { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Action: 'allow' }] },
      ],
      ['web', 'api', 'billing'],
    );
  });
  afterAll(() => server.close());

  it('fails every check the cluster misses, warns on the built-in CA, exits 1', async () => {
    const { code, status, by, out } = await posture(server, undefined);
    expect(code).toBe(1);
    expect(status).toEqual({
      'acl-default-deny': 'fail',
      'acl-anonymous-service-write': 'fail',
      'acl-reconciler-token': 'fail',
      'transport-https-api': 'fail',
      'transport-gossip-encryption': 'fail',
      'transport-rpc-tls': 'fail',
      'ca-external': 'warn',
      'mesh-permissive-locked': 'fail',
      'mesh-destinations-only': 'fail',
      'mesh-no-permissive': 'fail',
      'mesh-tls-min-version': 'fail',
      'intentions-default-deny': 'fail',
      'intentions-cover-services': 'fail',
      'sidecar-port-range': 'pass',
    });
    expect(by['acl-default-deny'].evidence).toContain('ACL support disabled');
    expect(by['transport-gossip-encryption'].evidence).toBe('agent consul-dev: Stats.serf_lan.encrypted = false');
    expect(by['transport-rpc-tls'].evidence).toBe('agent consul-dev: verify_incoming, verify_outgoing, verify_server_hostname false');
    expect(by['ca-external'].evidence).toContain('provider "consul"');
    expect(by['mesh-no-permissive'].evidence).toBe('MutualTLSMode = "permissive": service-defaults web');
    expect(by['mesh-tls-min-version'].evidence).toContain('Incoming.TLSMinVersion TLSv1_1');
    // "api" is a destination and "web" a source; "billing" is named by nothing. Proxies are not services here.
    expect(by['intentions-cover-services'].evidence).toBe('no intention names billing');
    expect(by['sidecar-port-range'].fix).toBe('keep TCP 21000-21255 open between nodes in host firewalls');
    // The warning never gates.
    expect(out.gating).not.toContain('ca-external');
    expect(out.ok).toBe(false);
    for (const f of out.findings) expect(f.checklistLine.length).toBeGreaterThan(10);
  });

  it('prints a table of check, status, evidence and fix after the mTLS part', async () => {
    const r = await runCli(['audit', '--posture', '--consul', server.url], repo());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('permissive service-defaults: web');
    expect(r.stdout).toMatch(/^transport-gossip-encryption\s+FAIL\s+agent consul-dev: Stats.serf_lan.encrypted = false$/m);
    expect(r.stdout).toMatch(/^ca-external\s+WARN\s+provider "consul"/m);
    expect(r.stdout).toMatch(/^\s+fix: generate a key \(`consul keygen`\)/m);
    expect(r.stdout).toContain('14 checks: 1 pass, 1 warn, 12 fail, 0 unknown.');
  });

  it('--require gates on the named checks only', async () => {
    expect((await posture(server, undefined, ['--require', 'ca-external,sidecar-port-range'])).code).toBe(0);
    const r = await posture(server, undefined, ['--require', 'transport-gossip-encryption']);
    expect(r.code).toBe(1);
    expect(r.out.gating).toEqual(['transport-gossip-encryption']);
  });

  it('--require with a name that is no check is an error naming it, before Consul is asked', async () => {
    const r = await runCli(['audit', '--posture', '--require', 'gossip', '--consul', server.url], repo());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--require: no posture check named "gossip"');
    expect(r.stdout).toBe('');
  });
});

describe('audit --posture on a secure cluster (ACLs default deny, encrypted gossip, RPC TLS, Vault CA)', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({
      port: 0,
      agent: SECURE_AGENT,
      acl: {
        defaultPolicy: 'deny',
        anonymous: { service_prefix: { '': 'read' } },
        tokens: [
          { secret: ROOT, management: true },
          // The README's policy, plus the reads the audit needs (agent:read, operator:read).
          {
            secret: RECONCILER,
            rules: {
              mesh: 'write',
              operator: 'read',
              service_prefix: { '': 'write' },
              intention_prefix: { '': 'write' },
              key_prefix: { 'consul-gitops/': 'write' },
              agent_prefix: { '': 'read' },
              node_prefix: { '': 'read' },
            },
          },
          { secret: NARROW, rules: { mesh: 'read', service_prefix: { web: 'read' } } },
          {
            secret: BROAD,
            rules: {
              mesh: 'write',
              operator: 'write',
              service_prefix: { '': 'write' },
              intention_prefix: { '': 'write' },
              key_prefix: { '': 'write' },
              agent_prefix: { '': 'read' },
            },
          },
          // The README's policy plus acl = "write": it may mint itself a management token.
          {
            secret: ACL_WRITER,
            rules: {
              acl: 'write',
              mesh: 'write',
              operator: 'read',
              service_prefix: { '': 'write' },
              intention_prefix: { '': 'write' },
              key_prefix: { 'consul-gitops/': 'write' },
              agent_prefix: { '': 'read' },
            },
          },
        ],
      },
    });
    await seed(
      server,
      ROOT,
      [
        {
          Kind: 'mesh',
          AllowEnablingPermissiveMutualTLS: false,
          TransparentProxy: { MeshDestinationsOnly: true },
          TLS: { Incoming: { TLSMinVersion: 'TLSv1_2' } },
        },
        { Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Action: 'deny' }] },
        { Kind: 'service-defaults', Name: 'api', MutualTLSMode: 'strict' },
        { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Action: 'allow' }] },
      ],
      ['web', 'api'],
    );
  });
  afterAll(() => server.close());

  it('passes every check the cluster can meet; only the plain-http API fails', async () => {
    const { code, status, by, out } = await posture(server, RECONCILER);
    expect(status).toEqual({
      'acl-default-deny': 'pass',
      'acl-anonymous-service-write': 'pass',
      'acl-reconciler-token': 'pass',
      'transport-https-api': 'fail',
      'transport-gossip-encryption': 'pass',
      'transport-rpc-tls': 'pass',
      'ca-external': 'pass',
      'mesh-permissive-locked': 'pass',
      'mesh-destinations-only': 'pass',
      'mesh-no-permissive': 'pass',
      'mesh-tls-min-version': 'pass',
      'intentions-default-deny': 'pass',
      'intentions-cover-services': 'pass',
      'sidecar-port-range': 'pass',
    });
    expect(by['ca-external'].evidence).toBe('external provider "vault"');
    expect(out.gating).toEqual(['transport-https-api']);
    expect(code).toBe(1);
    // Everything but the transport the dev server cannot offer: gated on what is required, exit 0.
    const required = out.findings.map((f) => f.id).filter((id) => id !== 'transport-https-api');
    expect((await posture(server, RECONCILER, ['--require', required.join(',')])).code).toBe(0);
  });

  it('a management token or one holding more than the README lists fails the token check', async () => {
    expect((await posture(server, ROOT)).by['acl-reconciler-token'].evidence).toContain('is a management token (policy global-management)');
    const broad = (await posture(server, BROAD)).by['acl-reconciler-token'];
    expect(broad.status).toBe('fail');
    expect(broad.evidence).toContain('also holds operator:write, key:write outside consul-gitops/');
    const aclWriter = (await posture(server, ACL_WRITER)).by['acl-reconciler-token'];
    expect(aclWriter.status).toBe('fail');
    expect(aclWriter.evidence).toMatch(/also holds acl:write$/);
  });

  it('a token that may not read is unknown with the permission that would answer, never a pass', async () => {
    const { status, by, code } = await posture(server, NARROW, ['--require', 'transport-gossip-encryption,ca-external,intentions-cover-services']);
    expect(status['transport-gossip-encryption']).toBe('unknown');
    expect(by['transport-gossip-encryption'].permission).toContain('agent:read');
    expect(status['transport-rpc-tls']).toBe('unknown');
    expect(status['sidecar-port-range']).toBe('unknown');
    expect(status['ca-external']).toBe('unknown');
    expect(by['ca-external'].permission).toContain('operator:read');
    expect(status['mesh-no-permissive']).toBe('unknown');
    expect(by['mesh-no-permissive'].permission).toBe('service:read on every service');
    expect(status['intentions-cover-services']).toBe('unknown');
    expect(by['intentions-cover-services'].permission).toBe('service:read on every service');
    // Required checks nobody could verify gate the exit code.
    expect(code).toBe(1);
    // Without --require, unknown alone does not fail the run, but nothing unknown reads as a pass.
    expect(Object.values(status).filter((s) => s === 'unknown').length).toBeGreaterThanOrEqual(6);
  });

  it('without a token under default deny, the token check fails and unreadable lists are unknown', async () => {
    const { by, status } = await posture(server, undefined);
    expect(status['acl-reconciler-token']).toBe('fail');
    expect(by['acl-reconciler-token'].evidence).toContain('anonymous token');
    expect(status['intentions-cover-services']).toBe('unknown');
    expect(status['acl-anonymous-service-write']).toBe('pass');
  });

  it('over HTTPS with the CA trusted the transport check passes; CONSUL_HTTP_SSL_VERIFY=false fails it', async () => {
    const front = await startTlsFront(server.url);
    try {
      const dir = repo(RECONCILER, `      address: ${front.url}\n      caCert: ${front.caFile}\n`);
      const verified = await runCli(['audit', '--posture', '--json'], dir);
      expect(verified.stderr).toBe('');
      const findings = (JSON.parse(verified.stdout) as { findings: Finding[] }).findings;
      expect(findings.find((f) => f.id === 'transport-https-api')).toMatchObject({ status: 'pass', evidence: 'HTTPS with certificate verification' });
      expect(findings.every((f) => f.status === 'pass')).toBe(true);
      expect(verified.code).toBe(0);

      process.env.CONSUL_HTTP_SSL_VERIFY = 'false';
      const unverified = await runCli(['audit', '--posture', '--json'], dir);
      const https = (JSON.parse(unverified.stdout) as { findings: Finding[] }).findings.find((f) => f.id === 'transport-https-api')!;
      expect(https).toMatchObject({ status: 'fail', evidence: 'HTTPS with certificate verification off (CONSUL_HTTP_SSL_VERIFY=false)' });
      expect(unverified.code).toBe(1);
    } finally {
      await front.close();
    }
  });
});

describe('audit --posture with ACLs on but default allow', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ port: 0, acl: { defaultPolicy: 'allow', tokens: [{ secret: ROOT, management: true }] } });
  });
  afterAll(() => server.close());

  it('fails while anonymous may write services and no "*" → "*" deny exists; warns once both are in place', async () => {
    const before = await posture(server, undefined);
    expect(before.by['acl-default-deny']).toMatchObject({
      status: 'fail',
      evidence: 'X-Consul-Default-ACL-Policy: allow, and the anonymous token may write services, no "*" → "*" deny intention',
    });
    expect(before.status['intentions-default-deny']).toBe('fail');
    expect(before.status['acl-anonymous-service-write']).toBe('fail');

    await server.close();
    server = await startDevServer({
      port: 0,
      acl: { defaultPolicy: 'allow', anonymous: { service_prefix: { '': 'read' } }, tokens: [{ secret: ROOT, management: true }] },
    });
    await seed(server, ROOT, [{ Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Action: 'deny' }] }], []);
    const after = await posture(server, undefined);
    expect(after.by['acl-default-deny'].status).toBe('warn');
    expect(after.status['intentions-default-deny']).toBe('pass');
    expect(after.status['acl-anonymous-service-write']).toBe('pass');
  });
});

describe('the dev server flag and the demo step', () => {
  it('dev-server --secure shows an agent with encrypted gossip, RPC TLS verification and a Vault CA', async () => {
    let stdout = '';
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stdout += s) } };
    const running = devServerCommand(['--port', '0', '--secure'], io, stopped);
    for (let i = 0; i < 100 && !stdout.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (\S+)/.exec(stdout)![1];
    try {
      const self = (await (await fetch(`${url}/v1/agent/self`)).json()) as any;
      expect(self.Stats.serf_lan.encrypted).toBe('true');
      expect(self.DebugConfig.TLS.InternalRPC).toMatchObject({ VerifyIncoming: true, VerifyOutgoing: true, VerifyServerHostname: true });
      expect(((await (await fetch(`${url}/v1/connect/ca/configuration`)).json()) as any).Provider).toBe('vault');
    } finally {
      stop();
      expect(await running).toBe(0);
    }
  });

  it('renderPostureForDemo prints the posture table of the demo cluster', async () => {
    const server = await startDevServer({ port: 0 });
    try {
      const text = await renderPostureForDemo(server.url);
      expect(text).toContain('Security posture:');
      expect(text).toMatch(/^acl-default-deny\s+FAIL\s+ACLs are disabled/m);
      expect(text).toMatch(/^ca-external\s+WARN/m);
      expect(text).toMatch(/^Not production-safe: acl-default-deny \(fail\)/m);
    } finally {
      await server.close();
    }
  });
});

describe('--acl-policy-file agent rules', () => {
  it('accepts agent_prefix, so a policy file can grant what audit --posture reads', () => {
    const config = parseAclPolicyFile('tokens:\n  - secret: s1\n    rules: { agent_prefix: { "": { policy: read } }, operator: read }\n', 'acl.yaml');
    expect(config.tokens[0].rules).toEqual({ agent_prefix: { '': 'read' }, operator: 'read' });
  });
});
