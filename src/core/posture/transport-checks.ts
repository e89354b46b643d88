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
  title: 'gossip encryption enabled',
  checklistLine: 'Production checklist, gossip: set an encrypt key on every agent so LAN/WAN gossip is encrypted',
  evaluate(f) {
    if (!f.agent.known) return unknownFor(f.agent);
    const enc = f.agent.value.gossipEncrypted;
    if (enc === undefined)
      return { status: 'unknown', evidence: 'GET /v1/agent/self has no Stats.serf_lan.encrypted', fix: 'check the agent with `consul info`' };
    const where = `agent ${f.agent.value.nodeName}: Stats.serf_lan.encrypted = ${enc}`;
    return enc
      ? pass(where)
      : fail(where, 'generate a key (`consul keygen`) and set encrypt on every agent (rolling: encrypt_verify_incoming/outgoing = false first)');
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
