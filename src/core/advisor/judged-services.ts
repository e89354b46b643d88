// Which services the strict-mode advisor judges: every service whose effective MutualTLSMode, as
// Git will leave it, is permissive; and which are strict in Git but still permissive in Consul
// (drift, reported and not judged). Plain data in and out.
//
// "As Git will leave it": the tree's own entries, plus live entries consul-gitops never changes
// (those without its ownership marker survive any apply or prune), and live entries consul-k8s owns,
// which no apply writes even when a file says otherwise. A live entry carrying the marker but absent
// from the tree is on its way out and does not count.
//
// The effective mode follows Consul's own resolution (agent/configentry/resolve.go,
// ComputeResolvedServiceConfig): the service's service-defaults MutualTLSMode when set, else
// proxy-defaults global's, else strict (the empty mode).
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { LiveEntry } from '../../model/live-entry.ts';
import { ownershipOf } from '../plan/ownership.ts';
import { entryDecision, heldAfterApply, type DecisionFlags } from '../plan/entry-decision.ts';
import { serviceKey, type DriftedService, type JudgedService, type ModeOrigin, type ServiceRef } from './model.ts';
import { fieldText } from '../../model/field-text.ts';
import { namedServiceKey } from './service-scope.ts';

/** A rendered Git entry (src/core/render.ts): the normalised form and the file it came from. */
export interface GitEntry {
  normalized: ApiEntry;
  file: string;
}

export interface JudgeInput {
  git: readonly GitEntry[];
  live: readonly LiveEntry[];
  /** Connect-enabled services (with a sidecar proxy) from Consul's catalog. */
  catalog: readonly ServiceRef[];
  /**
   * Services the user marked as not expecting inbound traffic (case-insensitive): `name` in the
   * default namespace and partition, `namespace/name`, or `partition/namespace/name`.
   */
  expectNoInboundTraffic: readonly string[];
  /**
   * How apply runs on this target: whether it prunes without `--prune` (consul-gitops.yaml `prune`),
   * and the mass-delete guard's refusal of a pruning apply (src/core/plan/mass-delete.ts; absent:
   * such an apply goes ahead). A hint whose apply prunes then names `--allow-mass-delete`.
   */
  apply?: { prune: boolean; pruneRefused?: string };
}

export interface JudgedServices {
  judged: JudgedService[];
  drift: DriftedService[];
  /**
   * `expectNoInboundTraffic` items naming no service Git or Consul knows (no service-defaults in
   * either, no sidecar in the catalog): most likely a typo, which would otherwise mark nothing silently.
   */
  unknownQuietItems: string[];
}

interface Side {
  entry: ApiEntry;
  file?: string;
}

const tenancy = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : 'default');

function refOf(e: ApiEntry): ServiceRef {
  return { name: fieldText(e.Name), namespace: tenancy(e.Namespace), partition: tenancy(e.Partition) };
}

function modeOf(e: ApiEntry | undefined): string {
  return typeof e?.MutualTLSMode === 'string' ? e.MutualTLSMode.toLowerCase() : '';
}

function byService(entries: readonly Side[]): Map<string, Side> {
  const out = new Map<string, Side>();
  for (const s of entries) if (s.entry.Kind === 'service-defaults') out.set(serviceKey(refOf(s.entry)), s);
  return out;
}

function proxyDefaultsByPartition(entries: readonly Side[]): Map<string, Side> {
  const out = new Map<string, Side>();
  for (const s of entries) if (s.entry.Kind === 'proxy-defaults') out.set(tenancy(s.entry.Partition).toLowerCase(), s);
  return out;
}

/**
 * Git's entry, else a live one that no apply will change or remove: what an apply with `--adopt
 * --prune` leaves. An entry another controller owns (consul-k8s) is never written, whatever Git
 * says (plan skips it): Consul keeps its copy, so that copy is the mode the service will have.
 */
function desired(git: Side | undefined, live: Side | undefined): Side | undefined {
  return afterApply(git, live, EVERY_FLAG);
}

/** Why a change to this service's mode cannot be proposed safely, whatever its traffic says. */
function blockedBecause(name: string, git: Side | undefined, live: Side | undefined): string | undefined {
  if (!live) return undefined;
  const owner = ownershipOf(live.entry);
  const external = externalOwner(live);
  if (external) return `service-defaults/${name} in Consul is managed by ${external} (external-source), not consul-gitops: change its MutualTLSMode there`;
  if (owner === 'ours') return undefined;
  const foreign = typeof owner === 'object' && 'foreign' in owner ? owner.foreign : undefined;
  // apply --adopt takes over only what a file defines (entry-decision.ts: an entry in no file is untouched).
  if (!git)
    return `service-defaults/${name} exists in Consul${foreign ? `, managed by ${foreign},` : ''} but in no file of this tree: add it to Git (and apply --adopt) before its mode can be changed`;
  return foreign
    ? `service-defaults/${name} in Consul is managed by ${foreign}, not consul-gitops: change its MutualTLSMode there, or adopt it (apply --adopt)`
    : `service-defaults/${name} in Consul lacks the consul-gitops ownership marker: run apply --adopt before its mode can be changed`;
}

/** The entry Consul holds after an apply with `flags`, as the planner decides it (src/core/plan/entry-decision.ts). */
function afterApply(git: Side | undefined, live: Side | undefined, flags: DecisionFlags): Side | undefined {
  const held = heldAfterApply(entryDecision(live && ownershipOf(live.entry), git !== undefined, flags));
  return held === 'file' ? git : held === 'live' ? live : undefined;
}

/** The controller an entry's `external-source` names (consul-k8s), which apply never overwrites. */
function externalOwner(side: Side | undefined): string | undefined {
  const owner = side && ownershipOf(side.entry);
  return typeof owner === 'object' && 'external' in owner ? owner.external : undefined;
}

const EVERY_FLAG: DecisionFlags = { adopt: true, prune: true };
/** The fewest flags first. */
const FLAG_SETS: readonly DecisionFlags[] = [{ adopt: false, prune: false }, { adopt: true, prune: false }, { adopt: false, prune: true }, EVERY_FLAG];

/**
 * What puts a drifted service right: the fewest apply flags after which Consul's effective mode is
 * no longer permissive, naming the entries each flag is for. A plain "apply repairs it" would be
 * false for an entry apply leaves alone (no ownership marker, or its file gone while pruning is off).
 */
function repairOf(
  name: string,
  sd: { git?: Side; live?: Side },
  pd: { git?: Side; live?: Side },
  apply: JudgeInput['apply'],
): Pick<DriftedService, 'repair' | 'repairNeeds'> {
  const sides = [
    { label: `service-defaults/${name}`, ...sd },
    { label: 'proxy-defaults/global', ...pd },
  ];
  // A drifted service is one that is not permissive after an apply with every flag (desired), so
  // the last set always repairs it.
  const flags =
    FLAG_SETS.find((f) => {
      const [s, p] = sides.map((x) => afterApply(x.git, x.live, f));
      return (modeOf(s?.entry) || modeOf(p?.entry)) !== 'permissive';
    }) ?? EVERY_FLAG;
  const why: string[] = [];
  for (const x of sides) {
    if (!x.live) continue;
    const owner = ownershipOf(x.live.entry);
    const decision = entryDecision(owner, x.git !== undefined, flags);
    if (decision === 'adopt' && owner === 'unowned') why.push(`${x.label} in Consul lacks the consul-gitops ownership marker`);
    else if (decision === 'adopt' && typeof owner === 'object' && 'foreign' in owner) why.push(`${x.label} in Consul is managed by ${owner.foreign}`);
    else if (decision === 'delete') why.push(`${x.label} in Consul has no file any more`);
  }
  // An apply that prunes (this flag, or the target's own `prune`) is refused whole by the
  // mass-delete guard when it deletes too much: then the hint says so and names the override.
  const refused = (flags.prune || apply?.prune) && apply?.pruneRefused;
  const needs = [
    ...(flags.adopt ? (['adopt'] as const) : []),
    ...(flags.prune ? (['prune'] as const) : []),
    ...(refused ? (['allow-mass-delete'] as const) : []),
  ];
  const command = ['apply', ...needs.map((n) => `--${n}`)].join(' ');
  if (refused) why.push(`without --allow-mass-delete, apply refuses: ${refused} (check that no file is missing from the checkout first)`);
  return { repair: why.length ? `${command} repairs it: ${why.join('; ')}` : `${command} repairs it`, ...(needs.length ? { repairNeeds: needs } : {}) };
}

export function judgedServices(input: JudgeInput): JudgedServices {
  const gitSides = input.git.map((g) => ({ entry: g.normalized, file: g.file }));
  const liveSides = input.live.map((l) => ({ entry: l.entry }));
  const gitSd = byService(gitSides);
  const liveSd = byService(liveSides);
  const gitPd = proxyDefaultsByPartition(gitSides);
  const livePd = proxyDefaultsByPartition(liveSides);
  const catalog = new Map(input.catalog.map((r) => [serviceKey(r), r]));
  const quiet = new Set(input.expectNoInboundTraffic.map(namedServiceKey));

  const refs = new Map<string, ServiceRef>();
  for (const [k, s] of liveSd) refs.set(k, refOf(s.entry));
  for (const [k, r] of catalog) refs.set(k, r);
  for (const [k, s] of gitSd) refs.set(k, refOf(s.entry));

  const judged: JudgedService[] = [];
  const drift: DriftedService[] = [];
  for (const [key, service] of [...refs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const partition = service.partition.toLowerCase();
    const sd = desired(gitSd.get(key), liveSd.get(key));
    const pd = desired(gitPd.get(partition), livePd.get(partition));
    const explicit = modeOf(sd?.entry);
    const effective = explicit || modeOf(pd?.entry);
    const liveEffective = modeOf(liveSd.get(key)?.entry) || modeOf(livePd.get(partition)?.entry);
    if (effective !== 'permissive') {
      if (liveEffective === 'permissive')
        drift.push({
          ...service,
          ...repairOf(service.name, { git: gitSd.get(key), live: liveSd.get(key) }, { git: gitPd.get(partition), live: livePd.get(partition) }, input.apply),
        });
      continue;
    }
    // Inherited permissive mode matters only where a sidecar exists to accept plaintext.
    if (!explicit && !catalog.has(key)) continue;
    const origin: ModeOrigin = explicit
      ? { kind: 'service-defaults', ...(sd?.file ? { file: sd.file } : {}) }
      : { kind: 'proxy-defaults', ...(pd?.file ? { file: pd.file } : {}) };
    const j: JudgedService = { service, origin };
    if (quiet.has(key)) j.expectsNoInboundTraffic = true;
    const blocked = blockedBecause(service.name, gitSd.get(key), liveSd.get(key));
    if (blocked) j.blockedBecause = blocked;
    const ownFile = gitSd.get(key)?.file;
    if (!explicit && ownFile) j.serviceDefaultsFile = ownFile;
    judged.push(j);
  }
  const unknownQuietItems = input.expectNoInboundTraffic.filter((item) => !refs.has(namedServiceKey(item)));
  return { judged, drift, unknownQuietItems };
}
