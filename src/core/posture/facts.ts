// What the posture audit knows about a cluster: plain data gathered at the edge, each fact either
// known or unknown with the permission that would answer it (never guessed as a pass).

export type Known<T> = { known: true; value: T } | { known: false; permission: string; why: string };

export const known = <T>(value: T): Known<T> => ({ known: true, value });

export interface AgentFacts {
  nodeName: string;
  /** `Stats.serf_lan.encrypted`; undefined when the agent did not report it. */
  gossipEncrypted: boolean | undefined;
  /** `Stats.serf_wan.encrypted` (servers only; the WAN keyring is a separate file); undefined when absent. */
  gossipWanEncrypted: boolean | undefined;
  /**
   * `DebugConfig.StaticRuntimeConfig.EncryptVerifyIncoming`/`…Outgoing` (flat in DebugConfig before
   * 1.12); undefined when the agent does not show both.
   */
  gossipVerify: { incoming: boolean; outgoing: boolean } | undefined;
  /** `DebugConfig.TLS.InternalRPC` verify flags; undefined when absent. */
  rpcTls: { verifyIncoming: boolean; verifyOutgoing: boolean; verifyServerHostname: boolean } | undefined;
  /** `DebugConfig.ConnectSidecarMinPort`/`ConnectSidecarMaxPort`. */
  sidecarPorts: { min: number; max: number } | undefined;
}

export interface TokenFacts {
  accessorId: string;
  policies: { id: string; name: string }[];
  /** Permissions the token holds beyond what the README lists, as `operator:write`. */
  excess: string[];
}

export interface MeshFacts {
  allowEnablingPermissiveMutualTLS: boolean;
  meshDestinationsOnly: boolean;
  /** mesh `TLS.Incoming.TLSMinVersion` / `TLS.Outgoing.TLSMinVersion`; '' when unset. */
  incomingTlsMin: string;
  outgoingTlsMin: string;
}

export interface IntentionFacts {
  /** One per service-intentions entry: its destination and its sources. */
  entries: {
    destination: string;
    /** `peer` / `samenessGroup`: the source is another cluster's services, not this one's. */
    sources: { name: string; action: string; peer?: string; samenessGroup?: string }[];
  }[];
}

export interface PostureFacts {
  /** How this client reaches the HTTP API (its own options). */
  transport: { https: boolean; verifyTls: boolean };
  /** From `/v1/acl/token/self` (401 = disabled) and `X-Consul-Default-ACL-Policy`. */
  acl: { enabled: boolean; defaultPolicy: 'allow' | 'deny' };
  /** May a request without a token write any service? */
  anonymousServiceWrite: Known<boolean>;
  /** undefined value: no token, or one Consul does not know (the anonymous token is used). */
  token: Known<TokenFacts | undefined>;
  agent: Known<AgentFacts>;
  caProvider: Known<string>;
  mesh: MeshFacts;
  /** permissive service-defaults names, sidecars registered permissive, and whether proxy-defaults global is permissive. */
  permissive: Known<{ services: string[]; sidecars: string[]; proxyDefaults: boolean }>;
  intentions: Known<IntentionFacts>;
  /** Catalog services (not proxies or gateways), without `consul` itself. */
  services: Known<string[]>;
  /** Set when `intentions` and `services` cover only some of the namespaces the target manages: why. */
  namespaceGap?: string;
}
