// Transport checks: the HTTP API over verified HTTPS, gossip encryption, RPC TLS verification.
import type { PostureCheck } from './check.ts';
import { fail, pass, unknownFor } from './finding.ts';

export const httpsApi: PostureCheck = {
  id: 'transport-https-api',
  title: 'HTTP API over HTTPS with verification',
  checklistLine: 'Production checklist, TLS: serve the HTTP API over HTTPS and verify the server certificate (CONSUL_HTTP_SSL_VERIFY=false disables it)',
  evaluate(f) {
    const { https, verifyTls } = f.transport;
    const fix = 'reach Consul at https://…:8501 (CONSUL_HTTP_ADDR) with CONSUL_CACERT, and leave CONSUL_HTTP_SSL_VERIFY unset';
    if (!https) return fail('the API is reached over plain http: the ACL token travels in clear text', fix);
    if (!verifyTls) return fail('HTTPS with certificate verification off (CONSUL_HTTP_SSL_VERIFY=false)', fix);
    return pass('HTTPS with certificate verification');
  },
};

export const gossipEncryption: PostureCheck = {
  id: 'transport-gossip-encryption',
  title: 'gossip encryption enabled and enforced',
  checklistLine:
    'Production checklist, gossip: set an encrypt key on every agent so LAN/WAN gossip is encrypted, with encrypt_verify_incoming and encrypt_verify_outgoing left true',
  evaluate(f) {
    if (!f.agent.known) return unknownFor(f.agent);
    const { nodeName, gossipEncrypted: enc, gossipWanEncrypted: wan, gossipVerify: verify } = f.agent.value;
    if (enc === undefined)
      return { status: 'unknown', evidence: 'GET /v1/agent/self has no Stats.serf_lan.encrypted', fix: 'check the agent with `consul info`' };
    const where = `agent ${nodeName}: Stats.serf_lan.encrypted = ${enc}`;
    if (!enc) return fail(where, 'generate a key (`consul keygen`) and set encrypt on every agent (rolling: encrypt_verify_incoming/outgoing = false first)');
    if (wan === false)
      return fail(
        `agent ${nodeName}: LAN gossip is encrypted but Stats.serf_wan.encrypted = false`,
        'install the gossip key in the WAN keyring too (`consul keyring -install KEY`, then -use) on every server',
      );
    // An agent with a key still accepts plaintext while encrypt_verify_incoming is false (a rolling
    // key rollout's first step): its own encryption says nothing about the other members then.
    if (!verify)
      return {
        status: 'unknown',
        evidence: `${where}, but DebugConfig shows no StaticRuntimeConfig.EncryptVerifyIncoming/EncryptVerifyOutgoing: whether the agent still accepts unencrypted gossip cannot be told`,
        fix: 'check encrypt_verify_incoming and encrypt_verify_outgoing in the agent configuration by hand (both must be true)',
      };
    // memberlist: verify_incoming false accepts plaintext packets; verify_outgoing false sends them.
    const off = [
      ...(verify.incoming ? [] : [['encrypt_verify_incoming', 'it accepts unencrypted gossip, so other members may gossip in plaintext']]),
      ...(verify.outgoing ? [] : [['encrypt_verify_outgoing', 'it sends its own gossip unencrypted']]),
    ];
    if (off.length > 0)
      return fail(
        `agent ${nodeName}: gossip has a key, but ${off.map(([k, why]) => `${k} = false (${why})`).join(' and ')}`,
        `finish the key rollout: set ${off.map(([k]) => `${k} = true`).join(' and ')} on every agent and restart them one at a time`,
      );
    return pass(
      `${where}, encrypt_verify_incoming and encrypt_verify_outgoing = true: this agent refuses unencrypted gossip, so the members of its pool must encrypt to reach it`,
    );
  },
};

export const rpcTls: PostureCheck = {
  id: 'transport-rpc-tls',
  title: 'RPC TLS verify_incoming, verify_outgoing, verify_server_hostname',
  checklistLine: 'Production checklist, TLS: tls.internal_rpc verify_incoming, verify_outgoing and verify_server_hostname = true',
  evaluate(f) {
    if (!f.agent.known) return unknownFor(f.agent);
    const tls = f.agent.value.rpcTls;
    if (!tls) return { status: 'unknown', evidence: 'GET /v1/agent/self has no DebugConfig.TLS.InternalRPC', fix: 'check the agent configuration by hand' };
    const off = (['verifyIncoming', 'verifyOutgoing', 'verifyServerHostname'] as const).filter((k) => !tls[k]).map(snake);
    const where = `agent ${f.agent.value.nodeName}`;
    return off.length === 0
      ? pass(`${where}: verify_incoming, verify_outgoing, verify_server_hostname all true`)
      : fail(`${where}: ${off.join(', ')} false`, `set tls { internal_rpc { ${off.map((k) => `${k} = true`).join(', ')} } } on every agent`);
  },
};

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
