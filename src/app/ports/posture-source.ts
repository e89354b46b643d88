// The port the posture audit reads Consul through; src/adapters/consul/posture-source.ts implements it.
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { AgentFacts, Known } from '../../core/posture/facts.ts';
import type { AuditSource } from './audit-source.ts';

export interface AuthorizeCheck {
  resource: string;
  segment?: string;
  access: 'read' | 'write';
}

/** What the posture audit reads. `Known` answers are unknown (with the permission) where ACLs stop the read. */
export interface PostureSource {
  /** The client's own transport: https, and whether it verifies the server's certificate. */
  transport(): { https: boolean; verifyTls: boolean };
  /** `/v1/acl/token/self` and the default-policy header. */
  aclSelf(): Promise<
    | { aclsEnabled: false; defaultPolicy: 'allow' | 'deny' }
    | { aclsEnabled: true; defaultPolicy: 'allow' | 'deny'; token: { accessorId: string; policies: { id: string; name: string }[] } | undefined }
  >;
  /** undefined when ACLs are disabled. `anonymous`: asked without a token. */
  authorize(checks: AuthorizeCheck[], anonymous: boolean): Promise<boolean[] | undefined>;
  agent(): Promise<Known<AgentFacts>>;
  caProvider(): Promise<Known<string>>;
  /** Every service-intentions entry. */
  intentions(): Promise<Known<ApiEntry[]>>;
  /** Catalog service names of typical services (no proxies or gateways). */
  services(): Promise<Known<string[]>>;
  /**
   * Why `intentions()` and `services()` see less than the target manages (an Enterprise target with
   * `namespaces`, read in the client's namespace alone), or undefined when they see all of it.
   */
  namespaceGap?(): string | undefined;
  /** The mTLS audit's reads; its list throws when ACLs cut it short. */
  mtls: AuditSource;
  /** Maps a failed mTLS audit read to an unknown fact, or rethrows what is not a permission problem. */
  unknownFromError(e: unknown): { permission: string; why: string };
}
