// The agent's own security settings as Consul's HTTP API shows them: `GET /v1/agent/self`,
// `GET /v1/acl/token/self` and `GET /v1/connect/ca/configuration`, for a secure or an insecure
// cluster (`dev-server --secure`). Only the fields the posture audit reads are filled in; their
// names and nesting are Consul's.
import type { AclPolicy } from './acl.ts';
import { SUPPORTED_CONSUL } from '../model/consul-versions.ts';
import { HttpError, queryMetaHeaders, sendJson, type RequestContext } from './http-util.ts';

/** What `consul agent` was started with, as far as the posture audit can see it. */
export interface AgentProfile {
  /** `encrypt` set: gossip is encrypted (Stats.serf_lan.encrypted). */
  gossipEncrypted: boolean;
  /**
   * `encrypt_verify_incoming` / `encrypt_verify_outgoing`: Consul's defaults are true, key or not
   * (agent/config/default.go); a rolling key rollout sets them false until every agent has the key.
   */
  encryptVerifyIncoming: boolean;
  encryptVerifyOutgoing: boolean;
  /** `tls.internal_rpc` verify_incoming / verify_outgoing / verify_server_hostname. */
  verifyIncoming: boolean;
  verifyOutgoing: boolean;
  verifyServerHostname: boolean;
  /** `connect.ca_provider`: `consul` (built-in) or an external one such as `vault`. */
  caProvider: string;
  /** `ports.sidecar_min_port` / `sidecar_max_port` (0 and 0 = no automatic selection). */
  sidecarMinPort: number;
  sidecarMaxPort: number;
}

/** `consul agent -dev`: no gossip key, no TLS, the built-in CA, Consul's default sidecar range. */
export const INSECURE_AGENT: AgentProfile = {
  gossipEncrypted: false,
  encryptVerifyIncoming: true,
  encryptVerifyOutgoing: true,
  verifyIncoming: false,
  verifyOutgoing: false,
  verifyServerHostname: false,
  caProvider: 'consul',
  sidecarMinPort: 21000,
  sidecarMaxPort: 21255,
};

/** An agent configured as the production checklist asks. */
export const SECURE_AGENT: AgentProfile = {
  gossipEncrypted: true,
  encryptVerifyIncoming: true,
  encryptVerifyOutgoing: true,
  verifyIncoming: true,
  verifyOutgoing: true,
  verifyServerHostname: true,
  caProvider: 'vault',
  sidecarMinPort: 21000,
  sidecarMaxPort: 21255,
};

const NODE_NAME = 'consul-dev';
/** The dev agent's node: where its own registrations (PUT /v1/agent/service/register) land in the catalog. */
export const AGENT_NODE_NAME = NODE_NAME;
/** What RuntimeConfig.Sanitized() shows for a secret-named string field, set or not. */
const HIDDEN = 'hidden';
const DATACENTER = 'dc1';
/** structs.ACLPolicyGlobalManagementID: the policy of the bootstrap (management) token. */
const GLOBAL_MANAGEMENT_ID = '00000000-0000-0000-0000-000000000001';

export class AgentRoutes {
  constructor(
    private readonly acl: AclPolicy,
    private readonly profile: AgentProfile,
    /** The Consul version the dev server behaves as (`dev-server --consul-version`; default the newest modelled). */
    private readonly version: string = SUPPORTED_CONSUL.newest,
  ) {}

  /**
   * GET /v1/agent/self (agent/agent_endpoint.go AgentSelf, checked against Consul 1.2x's source):
   * needs agent:read on the agent's node name. The body is the `Self` struct: `Config` (Datacenter,
   * PrimaryDatacenter, NodeName, NodeID, Partition only in Enterprise, Revision, Server, Version,
   * BuildDate), `DebugConfig`, `Coord`, `Member` (a serf.Member), `Stats`, `Meta`, and `xDS` when the
   * agent serves xDS. `DebugConfig` is RuntimeConfig.Sanitized() (agent/config/runtime.go): every
   * struct becomes a map keyed by Go field name, and every string field whose name contains "key",
   * "token" or "secret" reads "hidden" whatever its value, so `EncryptKey` and `KeyFile` are "hidden"
   * even when unset: gossip encryption is read from `Stats.serf_lan.encrypted` (serf.Stats()), never
   * from EncryptKey, and whether plaintext gossip is refused from `StaticRuntimeConfig`'s
   * EncryptVerifyIncoming/EncryptVerifyOutgoing (true by default, as in `consul agent -dev`). `TLS` is a tlsutil.Config (tlsutil/config.go): ServerMode, then InternalRPC,
   * GRPC and HTTPS ProtocolConfigs carrying VerifyIncoming/VerifyOutgoing/VerifyServerHostname.
   * `ConnectSidecarMinPort`/`ConnectSidecarMaxPort` are the automatic sidecar range. `Stats` values
   * are strings: the delegate's (agent/consul/server.go Server.Stats: consul, raft, serf_lan,
   * serf_wan, runtime) plus agent.Stats()'s `agent` and `build`.
   */
  self(ctx: RequestContext): void {
    this.acl.resolve(ctx);
    this.acl.require(ctx, { resource: 'agent', access: 'read', name: NODE_NAME });
    const p = this.profile;
    const protocol = (verifyIncoming: boolean) => ({
      VerifyIncoming: verifyIncoming,
      CAFile: p.verifyOutgoing ? '/etc/consul.d/tls/consul-agent-ca.pem' : '',
      CAPath: '',
      CertFile: p.verifyOutgoing ? '/etc/consul.d/tls/dc1-server-consul-0.pem' : '',
      KeyFile: HIDDEN,
      TLSMinVersion: 'TLSv1_2',
      CipherSuites: [],
      VerifyOutgoing: p.verifyOutgoing,
      VerifyServerHostname: p.verifyServerHostname,
      UseAutoCert: false,
    });
    const serf = (members: number) => ({
      members: String(members),
      failed: '0',
      left: '0',
      health_score: '0',
      member_time: '1',
      event_time: '1',
      query_time: '1',
      intent_queue: '0',
      event_queue: '0',
      query_queue: '0',
      encrypted: String(p.gossipEncrypted),
      coordinate_resets: '0',
    });
    sendJson(ctx, 200, {
      Config: {
        Datacenter: DATACENTER,
        PrimaryDatacenter: DATACENTER,
        NodeName: NODE_NAME,
        NodeID: '5c9a0b2e-6f0a-4e8b-9a61-1d3f4c2b7e10',
        Revision: 'dev',
        Server: true,
        Version: this.version,
        BuildDate: '2026-01-01T00:00:00Z',
      },
      DebugConfig: {
        ACLsEnabled: this.acl.enabled,
        ConnectEnabled: true,
        ConnectCAProvider: p.caProvider,
        ConnectSidecarMinPort: p.sidecarMinPort,
        ConnectSidecarMaxPort: p.sidecarMaxPort,
        // Sanitized: "hidden" whether or not a key is set.
        EncryptKey: HIDDEN,
        // Not reloadable, so kept apart since 1.12's config auto-reload (agent/config/runtime.go).
        StaticRuntimeConfig: { EncryptVerifyIncoming: p.encryptVerifyIncoming, EncryptVerifyOutgoing: p.encryptVerifyOutgoing },
        TLS: {
          ServerMode: true,
          InternalRPC: protocol(p.verifyIncoming),
          GRPC: protocol(false),
          HTTPS: protocol(false),
          NodeName: NODE_NAME,
          ServerName: '',
          Domain: 'consul',
          EnableAgentTLSForChecks: false,
          AutoTLS: false,
        },
      },
      Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 },
      Member: {
        Name: NODE_NAME,
        Addr: '127.0.0.1',
        Port: 8301,
        Tags: { dc: DATACENTER, role: 'consul' },
        Status: 1,
        ProtocolMin: 1,
        ProtocolMax: 5,
        ProtocolCur: 2,
        DelegateMin: 2,
        DelegateMax: 5,
        DelegateCur: 4,
      },
      Stats: {
        agent: { check_monitors: '0', check_ttls: '0', checks: '0', services: '0' },
        build: { prerelease: '', revision: 'dev', version: this.version, version_metadata: '' },
        consul: {
          acl: this.acl.enabled ? 'enabled' : 'disabled',
          bootstrap: 'false',
          known_datacenters: '1',
          leader: 'true',
          leader_addr: '127.0.0.1:8300',
          server: 'true',
        },
        raft: { state: 'Leader', num_peers: '0', protocol_version: '3' },
        runtime: { arch: 'amd64', os: 'linux', version: 'go1.22.0', max_procs: '2', cpu_count: '2', goroutines: '100' },
        serf_lan: serf(1),
        serf_wan: serf(1),
      },
      Meta: { 'consul-network-segment': '', 'consul-version': this.version },
      // XDSSelf: Port prefers the gRPC TLS port (8503 in -dev since 1.14), Ports names both.
      xDS: { SupportedProxies: { envoy: ['1.31.0', '1.30.2', '1.29.5', '1.28.5'] }, Port: 8503, Ports: { Plaintext: 8502, TLS: 8503 } },
    });
  }

  /**
   * GET /v1/acl/token/self (agent/acl_endpoint.go ACLTokenSelf → ACL.TokenRead by secret): 401
   * `ACL support disabled` without ACLs; the secret given must name a token (no token, or an unknown
   * one: 403 `ACL not found`). A management token is linked to the `global-management` policy.
   */
  tokenSelf(ctx: RequestContext): void {
    if (!this.acl.enabled) throw new HttpError(401, 'ACL support disabled');
    this.acl.resolve(ctx);
    const token = this.acl.tokenOf(ctx);
    if (!token) throw new HttpError(403, 'ACL not found');
    const policies = token.management
      ? [{ ID: GLOBAL_MANAGEMENT_ID, Name: 'global-management' }]
      : [{ ID: `${token.accessorId.slice(0, 8)}-0000-4000-8000-000000000000`, Name: `dev-policy-${token.accessorId.slice(0, 8)}` }];
    sendJson(
      ctx,
      200,
      {
        AccessorID: token.accessorId,
        SecretID: ctx.token,
        Description: token.management ? 'Bootstrap Token (Global Management)' : 'dev-server token',
        Policies: policies,
        Local: false,
        CreateTime: '2026-01-01T00:00:00Z',
        Hash: 'ZGV2LXNlcnZlcg==',
        CreateIndex: 5,
        ModifyIndex: 5,
      },
      queryMetaHeaders(5),
    );
  }

  /**
   * GET /v1/connect/ca/configuration (agent/connect_ca_endpoint.go → ConnectCA.ConfigurationGet):
   * needs operator:read; structs.CAConfiguration. The dev server never shows a private key or a
   * Vault token: only the provider and its non-secret settings.
   */
  caConfiguration(ctx: RequestContext): void {
    this.acl.resolve(ctx);
    this.acl.require(ctx, { resource: 'operator', access: 'read' });
    const builtIn = this.profile.caProvider === 'consul';
    const config = builtIn
      ? { LeafCertTTL: '72h', RotationPeriod: '2160h', IntermediateCertTTL: '8760h', PrivateKeyType: 'ec', PrivateKeyBits: 256, RootCertTTL: '87600h' }
      : { Address: 'https://vault.service.consul:8200', RootPKIPath: 'connect-root', IntermediatePKIPath: 'connect-intermediate', LeafCertTTL: '72h' };
    sendJson(
      ctx,
      200,
      {
        ClusterID: '11111111-2222-4333-8444-555555555555',
        Provider: this.profile.caProvider,
        Config: config,
        State: null,
        ForceWithoutCrossSigning: false,
        CreateIndex: 6,
        ModifyIndex: 6,
      },
      queryMetaHeaders(6),
    );
  }
}
