// What the registry knows about one config-entry kind. Every consumer (parser, validator, CRD
// mapper, dev server, planner) reads these definitions; nothing else hard-codes kind facts.
import type { ObjectFields } from './field-types.ts';
import type { ConsulVersion } from './consul-versions.ts';

/** A decoded entry in Consul's API JSON form: PascalCase keys, `Kind` included, zero values omitted. */
export type ApiEntry = Record<string, unknown> & { Kind: string };

/** A problem Consul's server would report for one entry; `field` is an API field path. */
export interface EntryProblem {
  field: string;
  message: string;
}

export type NameRule =
  /** A service (or gateway) name: required, written by the user. */
  | { rule: 'named'; wildcardAllowed: boolean }
  /** Always this name; an empty name is filled in by the server (proxy-defaults → `global`). */
  | { rule: 'fixed'; name: string; message: (name: string) => string }
  /** The kind has no Name field at all; the entry is addressed by this name (mesh → `mesh`). */
  | { rule: 'implicit'; name: string };

export interface KindDefinition {
  /** Consul's kind string, exactly as Consul spells it. */
  kind: string;
  /** The consul-k8s CRD kind (apiVersion consul.hashicorp.com/v1alpha1), when there is one. */
  crdKind?: string;
  /** Top-level fields in api-struct order, excluding `Kind`. */
  fields: ObjectFields;
  nameRule: NameRule;
  /** Apply wave: lower first. Deletions run in reverse. See consul-config-api.md §4.3. */
  applyOrder: number;
  /** Consul CE refuses every write of this kind with this message (enterprise-only kinds). */
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
