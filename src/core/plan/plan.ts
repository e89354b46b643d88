// plan: desired entries (rendered files) against live entries (Consul) → a Plan, as data.
// Pure: the caller lists live entries (one request per kind) and prints or applies the result.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryIdOf, entryKey, type EntryId } from '../../model/entry-id.ts';
import type { ValidatedEntry } from '../validate-tree.ts';
import type { LiveEntry } from '../../model/live-entry.ts';
import { canonicalDesired, canonicalOf, liveAsWritten, type FieldDiff } from './canonical.ts';
import { entryDiffs } from './intention-source-order.ts';
import { EXTERNAL_SOURCE_KEY, SOURCE_KEY, ownershipOf, sameAsOwned, withOwnership, withoutOwnership } from './ownership.ts';
import { consulOfLive, formatTargetConsul, isEnterprise, parseTargetConsul } from '../../model/tenancy.ts';
import { formatVersion, type ConsulVersion } from '../../model/consul-versions.ts';
import { orderInPlace } from './order.ts';
import { explicitZeros, type ZeroPathCache } from './file-zeros.ts';
import { withGivenBlocks } from '../entry-rules.ts';
import { finalStateKeyed, stateWarnings, type PlanWarning } from './warnings.ts';
import { massDeleteGuard, type MassDeletePolicy } from './mass-delete.ts';
import { underLostField, unknownFields } from './unknown-fields.ts';
import { entryDecision } from './entry-decision.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';

export type ChangeAction = 'create' | 'update' | 'delete' | 'noop' | 'skip';

export interface Change {
  action: ChangeAction;
  id: EntryId;
  /** Identity key (kind/partition/namespace/lower(name)). */
  key: string;
  /** Live entry in canonical form, when there is one. */
  before?: ApiEntry;
  /** The entry as it will be written (decoded form plus ownership marker), for create/update. */
  after?: ApiEntry;
  fieldDiffs: FieldDiff[];
  reason: string;
  /** Check-and-set index: the live ModifyIndex read at plan time, 0 to create. */
  cas: number;
  /** Apply wave; changes in one wave are independent of each other. */
  wave: number;
  /** The file the desired entry came from; for a delete, the file it was last written from (its ownership marker). */
  source?: string;
  /** Line of the entry in `source` (1-based); absent for a delete, whose file is gone. */
  line?: number;
  /** Zero values the file writes out, which decoding drops (file-zeros.ts): shown, never sent. */
  explicitZeros?: Record<string, unknown>;
  /**
   * Consul's copy was modified after the last apply consul-gitops recorded (changed-outside.ts):
   * someone changed it by hand or with another tool, and this change puts it back.
   */
  changedOutside?: true;
  adopted?: boolean;
  /** For a skipped entry another controller owns (consul-k8s): its `external-source`. */
  owner?: string;
  /**
   * An update of an entry consul-gitops does not manage that differs from its file: a real
   * difference between Git and Consul (counted in the plan), written only with `--adopt`.
   */
  requiresAdopt?: true;
  /**
   * Fields of the live entry consul-gitops does not know (newer Consul, Enterprise): the update
   * would remove them. Shown as "unknown to consul-gitops: would be removed".
   */
  lostFields?: string[];
  /**
   * The target's Consul version the change was planned for, when one is known: the attribute tree
   * normalises the file as that Consul will (http-route Weight 0 becomes 1 before 1.22).
   */
  consulVersion?: string;
  /** An update that would remove `lostFields`: written only with `--allow-field-loss`. */
  requiresFieldLoss?: true;
}

export interface Plan {
  /** In apply order. */
  changes: Change[];
  warnings: PlanWarning[];
  /** Set when the plan must not be applied as is (mass deletion without permission). */
  refused?: string;
  summary: Record<ChangeAction, number>;
}

export interface PlanOptions {
  prune: boolean;
  adopt: boolean;
  massDelete?: MassDeletePolicy;
  /** Write updates that remove live fields consul-gitops does not know (`--allow-field-loss`). */
  allowFieldLoss?: boolean;
  /** The target's Consul version (consul-gitops.yaml `consulVersion`): version-dependent Normalize rules follow it. */
  consulVersion?: string;
  /** The target's `crdNamespaces` (Enterprise): the Consul namespace of each CRD's entry, as consul-k8s maps it. */
  crdNamespaces?: CrdNamespaces;
}

export function planChanges(desired: readonly ValidatedEntry[], live: readonly LiveEntry[], options: PlanOptions): Plan {
  return planWithState(desired, live, options).plan;
}

/** A change being built: its fields are set in the order the plan's JSON and saved plans show them. */
type Draft = Partial<Change> & Pick<Change, 'id' | 'key' | 'fieldDiffs'>;

/**
 * planChanges, and the mesh as it will be once the plan is applied (warnings.ts finalState), which
 * the warnings and the caller's cross-entry rules are both judged on: built once per plan.
 *
 * Each change is one object whose fields are set in turn, not a chain of spreads: at 50,000 entries
 * the copies were a second of a no-op plan. The field order is the one the spreads gave.
 */
export function planWithState(
  desired: readonly ValidatedEntry[],
  live: readonly LiveEntry[],
  options: PlanOptions,
): { plan: Plan; state: Map<string, ApiEntry> } {
  const consul = parseTargetConsul(options.consulVersion);
  const versionText = consul ? formatTargetConsul(consul) : undefined;
  // Each live entry's key is made once (and hashed once): the final state uses the same strings.
  const liveKeys = live.map((l) => entryKey(entryIdOf(l.entry)));
  // Each key's (last) live index; `planned[i]` marks a live entry a file defines. One lookup per
  // desired entry: a set of desired keys asked again per live entry compared each key's text twice.
  const liveAt = new Map<string, number>();
  live.forEach((_, i) => liveAt.set(liveKeys[i], i));
  const planned = new Uint8Array(live.length);
  const changes: Change[] = [];
  const zeroPaths: ZeroPathCache = new Map();
  // Each live entry's canonical form, made once per plan and shared with the final state: a
  // per-plan array, not a process-wide WeakMap (every key of one is an ephemeron the collector
  // traces again on each collection).
  const canonicals = new Array<ApiEntry | undefined>(live.length);
  const canonicalAt = (i: number, here: ConsulVersion | undefined): ApiEntry => {
    // Enterprise entries: the diff's form and the final state's differ (warnings.ts finalStateKeyed), so only CE forms are kept.
    if (isEnterprise(here)) return canonicalOf(live[i].entry, here);
    return (canonicals[i] ??= canonicalOf(live[i].entry, here));
  };
  // The versions' texts, made once: almost every entry is planned for the target's own version.
  const asPlanned = { consul, text: consul ? formatVersion(consul) : undefined };

  for (const d of desired) {
    const id = entryIdOf(d.normalized);
    const key = entryKey(id);
    const at = liveAt.get(key);
    if (at !== undefined) planned[at] = 1;
    const l = at === undefined ? undefined : live[at];
    const zeros = explicitZeros(d, zeroPaths);
    const c = { id, key, source: d.file, line: d.pos.line } as Draft;
    if (zeros) c.explicitZeros = zeros;
    if (versionText !== undefined) c.consulVersion = versionText;
    c.fieldDiffs = [];
    if (!l) {
      Object.assign(c, { action: 'create', after: written(d), reason: 'not in Consul', cas: 0, wave: 0 });
      changes.push(c as Change);
      continue;
    }
    // Enterprise (tenancy fields kept and compared as it normalises them) when the entry says so.
    const here = consulOfLive(l.entry, consul);
    // What would be written (`kept`): needed for the diff only off the CE shortcut, and kept only
    // for a write. The file's side (`desired`): built only when it is not already known to equal
    // Consul's (sameAsOwned). Plain variables, not closures: a no-op plan makes nothing per entry here.
    let kept: ApiEntry | undefined;
    let desired: ApiEntry | undefined;
    const shortcut = normalizedAsPlanned(d, here, asPlanned);
    // On the CE shortcut, Consul's copy holding exactly what the file writes is its own canonical
    // form (canonical.ts liveAsWritten): the entry is not normalised, and it is known to be the same.
    const exact = shortcut && canonicals[at!] === undefined ? liveAsWritten(l.entry, d.normalized, d.file) : undefined;
    if (exact) canonicals[at!] = exact;
    const before = exact ?? canonicalAt(at!, here);
    const same = exact ? true : shortcut ? sameAsOwned(before, d.normalized, d.file) : undefined;
    if (same !== true) desired = shortcut ? withOwnership(d.normalized, d.file) : canonicalDesired((kept = written(d)), here);
    const allDiffs = same === true ? [] : entryDiffs(before, desired!);
    // Unknown live fields alone never cause a write: the file cannot say anything about them. An
    // exact copy holds only what the validated file writes, whose fields are all known (pinned by
    // test/unit/plan/live-as-written.test.ts): not walked again, which cold was a quarter of this loop.
    const lost = exact ? [] : unknownFields(before);
    const fieldDiffs = allDiffs.length > 0 && allDiffs.some((x) => !underLostField(x.path, lost)) ? allDiffs : [];
    const loss = fieldDiffs.length && lost.length ? { lostFields: lost, ...(options.allowFieldLoss ? {} : { requiresFieldLoss: true as const }) } : undefined;
    const owner = ownershipOf(l.entry);
    const decision = entryDecision(owner, true, options);
    if (here) c.consulVersion = here === consul ? versionText! : formatTargetConsul(here);
    c.before = before;
    c.cas = l.modifyIndex;
    c.wave = 0;
    if (decision === 'write') {
      if (fieldDiffs.length === 0) {
        c.action = 'noop';
        c.reason = lost.length ? 'up to date (fields unknown to consul-gitops are kept)' : 'up to date';
      } else Object.assign(c, { action: 'update', after: (kept ??= written(d)), fieldDiffs, reason: 'differs from the file' }, loss);
      changes.push(c as Change);
      continue;
    }
    // Whether Consul holds what Git says, the ownership markers aside.
    // `same` is known only on the shortcut, where the file's side is the entry with the markers.
    desired ??= withOwnership(d.normalized, d.file);
    const rawContentDiffs = entryDiffs(withoutOwnership(before), withoutOwnership(desired));
    const contentDiffs = rawContentDiffs.some((d) => !underLostField(d.path, lost)) ? rawContentDiffs : [];
    if (decision === 'external' && typeof owner === 'object' && 'external' in owner) {
      const reason = `owned by ${owner.external} (Meta.${EXTERNAL_SOURCE_KEY}); consul-gitops never writes it${contentDiffs.length ? ', although it differs from the file' : ''}`;
      Object.assign(c, { action: 'skip', fieldDiffs: contentDiffs, reason, owner: owner.external });
      changes.push(c as Change);
      continue;
    }
    const whose = typeof owner === 'object' && 'foreign' in owner ? `managed by ${owner.foreign}, not by consul-gitops` : 'not managed by consul-gitops';
    if (decision === 'adopt') {
      const reason = contentDiffs.length
        ? `adopted: ${whose}; --adopt takes it over`
        : `adopted: ${whose} and matches the file; --adopt adds the ownership markers`;
      Object.assign(c, { action: 'update', after: (kept ??= written(d)), fieldDiffs, reason, adopted: true }, loss);
    } else if (contentDiffs.length === 0) {
      Object.assign(c, { action: 'skip', fieldDiffs: [], reason: `matches Git, ${whose}; \`--adopt\` adds the ownership markers` });
    } else {
      Object.assign(
        c,
        { action: 'update', after: (kept ??= written(d)), fieldDiffs: contentDiffs, reason: `${whose}: \`--adopt\` takes it over`, requiresAdopt: true },
        loss,
      );
    }
    changes.push(c as Change);
  }

  // Map order (each key where first listed, its last entry), as the keyed map gave it.
  liveAt.forEach((i, key) => {
    const l = live[i];
    const decision = planned[i] ? 'untouched' : entryDecision(ownershipOf(l.entry), false, options);
    if (decision === 'untouched') return;
    const id = entryIdOf(l.entry);
    const before = canonicalAt(i, consulOfLive(l.entry, consul));
    const from = (l.entry.Meta as Record<string, unknown> | undefined)?.[SOURCE_KEY];
    const source = typeof from === 'string' && from ? { source: from } : {};
    if (decision === 'delete')
      changes.push({ action: 'delete', id, key, before, fieldDiffs: [], reason: 'no file defines it any more', cas: l.modifyIndex, wave: 0, ...source });
    else changes.push({ action: 'skip', id, key, before, fieldDiffs: [], reason: 'no file defines it; pruning is off', cas: l.modifyIndex, wave: 0 });
  });

  // The changes were made here, so they are ordered in place rather than copied.
  const ordered = orderInPlace(changes);
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, noop: 0, skip: 0 };
  for (const c of ordered) summary[c.action]++;
  let owned = 0;
  for (const l of live) if (ownershipOf(l.entry) === 'ours') owned++;
  const refused = massDeleteGuard(summary.delete, owned, options.massDelete);
  const state = finalStateKeyed(ordered, live, liveKeys, consul, canonicalAt);
  return { plan: { changes: ordered, warnings: stateWarnings(state), summary, ...(refused ? { refused } : {}) }, state };
}

/**
 * What a write sends: the file's entry with its ownership markers and the empty blocks it gives
 * (`UpstreamConfig {}`), which `consul config write` sends as `{}` (a non-nil Go pointer) and Consul
 * stores. Decoding drops them as zero values; the diff never sees them (canonical forms drop `{}`).
 */
function written(d: ValidatedEntry): ApiEntry {
  return withOwnership(withGivenBlocks(d.entry, d.fieldPositions), d.file);
}

/**
 * Whether the file's side of the diff is the validated entry plus the ownership markers. Validation
 * already normalised the entry, for this version when the plan has one (validate-tree.ts
 * `normalizedFor`); on CE the canonical form is that plus the markers, which normalisation keeps
 * verbatim (Meta is opaque), so it is not normalised again: at 10,000 entries that second pass cost
 * a tenth of a second. Otherwise (Enterprise, another version) canonicalDesired of what is written.
 * `planned`: the plan's version and its text, made once.
 */
function normalizedAsPlanned(
  d: ValidatedEntry,
  here: ConsulVersion | undefined,
  planned: { consul: ConsulVersion | undefined; text: string | undefined },
): boolean {
  if (isEnterprise(here)) return false;
  return d.normalizedFor === (here === planned.consul ? planned.text : here ? formatVersion(here) : undefined);
}

/** Updates that only `--adopt` writes: Consul differs from Git on entries consul-gitops does not manage. */
export function needsAdopt(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.requiresAdopt);
}

/** Updates that only `--allow-field-loss` writes: they would remove live fields consul-gitops does not know. */
export function needsFieldLoss(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.requiresFieldLoss);
}

/** True when Consul differs from Git in a way consul-gitops could change (with `--adopt` if need be). */
export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}
