// What the registry knows about one config-entry kind. Every consumer (parser, validator, CRD
// mapper, dev server, planner) reads these definitions; nothing else hard-codes kind facts.
import type { ObjectFields } from './field-types.ts';
import type { ConsulVersion } from './consul-versions.ts';
import type { KindAcl } from './kind-acl.ts';

/** A decoded entry in Consul's API JSON form: PascalCase keys, `Kind` included, zero values omitted. */
export type ApiEntry = Record<string, unknown> & { Kind: string };

/** A problem Consul's server would report for one entry; `field` is an API field path. */
export interface EntryProblem {
  field: string;
  message: string;
  /**
   * Consul's whole answer when this is the first problem it meets and that answer is more than
   * `message` (a go-multierror list Validate returns unwrapped); the dev server sends it as is.
   */
  consulText?: string;
  /**
   * Consul CE's refusal of an Enterprise feature (CE's `*_ce.go` Validate): a target known to run
   * Consul Enterprise (`+ent`) does not see it.
   */
  ceOnly?: true;
}

export type NameRule =
  /** A service (or gateway) name: required, written by the user. */
  | { rule: 'named'; wildcardAllowed: boolean }
  /**
   * Always this name. `normalized`: Consul's Normalize fills an empty name with it and refuses any
   * other, on deletes as on writes (proxy-defaults → `global`); otherwise only Validate refuses
   * another name on writes (exported-services).
   */
  | {
      rule: 'fixed';
      name: string;
      message: (name: string, expected: string) => string;
      normalized: boolean;
      /** Enterprise: the name is the entry's partition's instead (exported-services); `name` is CE's only partition. */
      partitionNamed?: true;
    }
  /** The kind has no Name field at all; the entry is addressed by this name (mesh → `mesh`). */
  | { rule: 'implicit'; name: string };

/**
 * Where Consul CE stands on a kind. `ce`: known and writable. `ce-refuses`: CE's
 * structs.MakeConfigEntry knows it (reads and deletes work) but its Validate refuses every write
 * (sameness-group). `enterprise`: not in CE's MakeConfigEntry switch at all (`invalid config entry
 * kind`), agent/structs/config_entry.go.
 */
export type Edition = 'ce' | 'ce-refuses' | 'enterprise';

/**
 * What one entry configures. `mesh-wide`: every service's configuration derives from it, so when
 * its write fails the rest of an apply must not go on as if it had landed. `named`: only what the
 * entry is named after (a service, gateway, provider, certificate).
 */
export type KindScope = 'mesh-wide' | 'named';

/**
 * The kind's side of the dependency graph (the order Consul's cross-entry checks in agent/consul/state/config_entry.go imply). `provider`: other kinds
 * refer to it (a router needs its service's protocol, an intention its jwt-provider), so deleting
 * it waits until the writes are done. `dependent`: it refers to providers, so deleting it runs
 * before the writes, and a provider's change is not refused because of it.
 */
export type OrderRole = 'provider' | 'dependent';

/** One top-level field of a GET response in Go struct order; `zero` present: always shown, this when unset. */
export type ResponseField = readonly [field: string, zero?: unknown];

/**
 * How Consul's GET serialises a stored entry: encoding/json of the server struct, so fields without
 * `omitempty` come back as zero noise (`"TransparentProxy": {}`, `"Protocol": ""`; the server structs in
 * Consul's agent/structs/config_entry*.go). `as-stored`: no noise modelled for the kind; the entry comes back as stored.
 */
export type ResponseShape =
  | 'as-stored'
  | {
      fields: readonly ResponseField[];
      /** Zero noise inside nested structs, written into `out`: a fresh response object its caller owns. */
      inner?: (out: Record<string, unknown>) => void;
    };

export interface KindDefinition {
  /** Consul's kind string, exactly as Consul spells it. */
  kind: string;
  /** The consul-k8s CRD kind (apiVersion consul.hashicorp.com/v1alpha1), when there is one. */
  crdKind?: string;
  /** Top-level fields in api-struct order, excluding `Kind`. */
  fields: ObjectFields;
  nameRule: NameRule;
  /** Apply wave: lower first. Deletions run in reverse. The order Consul's cross-entry checks imply (agent/consul/state/config_entry.go, validateProposedConfigEntryInGraph). */
  applyOrder: number;
  /** Whether deleting it waits for the writes (provider) or runs before them (dependent). */
  orderRole: OrderRole;
  edition: Edition;
  scope: KindScope;
  /** Carries `MutualTLSMode`: locking the mesh down must wait for every such change. */
  setsMutualTlsMode: boolean;
  /** Its entries carry secret material (inline-certificate's PrivateKey): never imported into Git unasked. */
  holdsSecrets: boolean;
  /**
   * A discovery-chain kind (router, splitter, resolver): the services an entry sends traffic to,
   * Consul's ListRelatedServices (src/model/related-services.ts). Absent: not part of a chain.
   */
  relatedServices?: (entry: ApiEntry) => string[];
  /** The ACL permission Consul's CanRead/CanWrite ask for (src/model/kind-acl.ts). */
  acl: KindAcl;
  /** What the dev server's GET returns for a stored entry. */
  responseShape: ResponseShape;
  /** Consul CE refuses every write of this kind with this message (`edition` not `ce`). */
  enterpriseOnly?: string;
  /** Written only by Consul itself (bound-api-gateway): never managed from files. */
  controllerOwned?: boolean;
  /**
   * Consul's `Normalize()`: returns a new entry, never mutates its input. `consul` is the target's
   * version where a rule changed between versions; absent: the newest modelled behaviour.
   */
  normalize?: (entry: ApiEntry, consul?: ConsulVersion) => ApiEntry;
  /** Consul's `Validate()` on one normalised entry, with Consul's messages. */
  validate?: (entry: ApiEntry) => EntryProblem[];
}
