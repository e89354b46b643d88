// The plan use case shared by the CLI, the Lambda handlers and the dev loop: render the files,
// refuse the whole tree on any error, read Consul once per kind, and plan.
import { configEntryError, type ConfigEntryError } from '../model/errors.ts';
import { KINDS } from '../model/registry.ts';
import { entryIdOf, entryKey, formatEntryId } from '../model/entry-id.ts';
import { positionOf } from '../decode/entry-source.ts';
import type { SourceFile, ValidatedFiles } from '../core/parse-files.ts';
import { renderTree, type RenderedTree } from '../core/render.ts';
import type { ConfigEntryStore, LiveEntry, StateStore } from './ports/config-entry-store.ts';
import { planWithState, type Change, type Plan, type PlanOptions } from '../core/plan/plan.ts';
import { meshWriteChanges, meshWriteWarnings, type PlanWarning } from '../core/plan/warnings.ts';
import { entryVersionWarnings, newestSourceWarnings } from '../core/version-check.ts';
import { apiGatewaysOf, entryGatewayTLSWarnings } from '../core/gateway-tls-merge.ts';
import { graphProblems } from '../core/graph-rules.ts';
import { markChangedOutside } from '../core/plan/changed-outside.ts';
import { memberCycleProblems } from '../core/plan/sameness-order.ts';
import { releaseProblems } from '../core/plan/release-order.ts';
import { refusedWrites } from '../core/plan/write-simulation.ts';
import { restrictPlan, type EntrySelector } from '../core/plan/only.ts';
import { ownWrites } from './commit-state.ts';
import { scopeDesired } from '../core/plan/tenancy-scope.ts';
import { isEnterprise, parseTargetConsul } from '../model/tenancy.ts';
import type { ConsulVersion } from '../model/consul-versions.ts';
import { EnterpriseKindRefusedError, targetClaimsEnterprise } from '../model/edition-mismatch.ts';

/** Where the last apply was recorded (commit-state.ts), so changes made outside consul-gitops are named. */
export interface ApplyHistory {
  state: StateStore;
  key: string;
}

/** What shapes a plan besides the files and options. */
export interface PlanContext {
  /** The last recorded apply, to label changes made outside consul-gitops. */
  history?: ApplyHistory;
  /** Restrict the plan to these entries (`--only KIND/NAME`), with the same rules. */
  only?: readonly EntrySelector[];
  /** The target's name, for the warnings on fields its Consul version does not know. */
  target?: string;
  /** The live read, already started (startLiveRead); otherwise the plan reads once the files are valid. */
  live?: LiveRead;
  /**
   * Files validated cleanly before (the CLI's entry cache), for a render with these options:
   * `scope` names everything besides a file's path and text that shapes its entries.
   */
  reuse?: (scope: string) => ValidatedFiles;
}

export interface PlanOutcome {
  /** The rendered files; `graphErrors` empty: cross-entry rules are judged against the final state (errors). */
  tree: RenderedTree;
  /** Undefined when the tree has errors: then nothing may be applied. */
  plan?: Plan;
  errors: ConfigEntryError[];
  live: LiveEntry[];
  /** Why changes made outside consul-gitops could not be named (the last-apply record was unreadable). */
  historyProblem?: string;
}

/**
 * Kinds consul-gitops may manage and reads from Consul: on CE not the Enterprise-only ones (CE has
 * no control-plane-request-limit: its MakeConfigEntry has no case, so the list answers 500 `invalid
 * config entry kind`; a sameness-group can never be written there, so its list is always `[]`).
 */
export function managedKinds(enterprise = false): string[] {
  return KINDS.filter((k) => (enterprise || !k.enterpriseOnly) && !k.controllerOwned).map((k) => k.kind);
}

/**
 * The kinds to read again for a plan made before (a saved plan), to prove Consul did not change
 * since: every CE kind as always, and of the Enterprise-only kinds (only a `+ent` plan has any) just
 * those the plan writes (create, update, delete): a +ent target costs no list of a kind the plan
 * does not change. What the plan decided from the others: no cross-entry rule reads a sameness-group
 * or control-plane-request-limit unless one is written (graph-rules.ts), and the mass-deletion guard
 * counted every entry read, so a plan that deletes anything reads again every Enterprise-only kind it read.
 */
export function kindsOfPlanMadeFrom(plan: {
  read: readonly { id: { kind: string } }[];
  changes: readonly { id: { kind: string }; action: string }[];
}): string[] {
  const ce = managedKinds();
  const enterprise = new Set(enterpriseKinds());
  const more = new Set<string>();
  let deletes = false;
  for (const c of plan.changes) {
    if (c.action !== 'create' && c.action !== 'update' && c.action !== 'delete') continue;
    deletes ||= c.action === 'delete';
    if (enterprise.has(c.id.kind)) more.add(c.id.kind);
  }
  if (deletes) for (const r of plan.read) if (enterprise.has(r.id.kind)) more.add(r.id.kind);
  return [...ce, ...enterpriseKinds().filter((k) => more.has(k))];
}

/** The Enterprise-only kinds managedKinds adds on a `+ent` target. */
function enterpriseKinds(): string[] {
  const ce = new Set(managedKinds());
  return managedKinds(true).filter((k) => !ce.has(k));
}

export async function readLive(store: ConfigEntryStore, kinds = managedKinds(), signal?: AbortSignal): Promise<LiveEntry[]> {
  const lists = await Promise.all(kinds.map((k) => store.list(k, signal)));
  return lists.flat();
}

/** Every managed kind being read from Consul, started before the files are parsed; cancelled when they are wrong. */
export interface LiveRead {
  /** Every kind answered (not yet parsed, when the store parses later: ConfigEntryStore.listLater). */
  answered: Promise<void>;
  /** The entries, parsed on first use. */
  readonly entries: Promise<LiveEntry[]>;
  /** The last-apply record, asked for as soon as the entries are answered (historyAfter). */
  history?: Promise<HistoryRead>;
  cancel(): void;
}

/** The last-apply record as the plan uses it: its writes, or why it could not be read. */
interface HistoryRead {
  last?: Awaited<ReturnType<typeof ownWrites>>;
  problem?: string;
}

/**
 * Reads the last-apply record once the entries are answered, never before: an apply that lands in
 * between then hides a label, never makes one up (its own writes would look changed outside if the
 * older record were compared). Chained rather than awaited by the plan, so the round trip overlaps
 * the planning instead of following it. A token that may read config entries but not KV still gets
 * its plan, without the labels. Never rejects: failed entries fail the plan elsewhere.
 */
function historyAfter(entries: Promise<unknown>, history: ApplyHistory): Promise<HistoryRead> {
  return entries.then(
    () =>
      ownWrites(history.state, history.key).then(
        (last) => ({ last }),
        (e: unknown) => ({
          problem: `could not read the last apply record ${history.key}, so changes made outside consul-gitops are not named: ${(e as Error).message}`,
        }),
      ),
    () => ({}),
  );
}

/**
 * Starts reading every managed kind at once, so Consul serialises its answers while this process
 * reads and parses the files: at 10,000 entries each side takes about half a second
 * (bench/scale.bench.ts). Its failure is reported only if the plan needs the entries, that is when
 * the files are valid; a wrong tree cancels the read.
 */
export function startLiveRead(store: ConfigEntryStore, history?: ApplyHistory, enterprise?: Promise<boolean>): LiveRead {
  // One signal per kind: every request adds an abort listener to its signal, and Node warns on
  // stderr past ten listeners on one signal.
  const controllers: AbortController[] = [];
  const listOf = (kind: string) => {
    const controller = new AbortController();
    controllers.push(controller);
    if (store.listLater) return store.listLater(kind, controller.signal);
    return store.list(kind, controller.signal).then((l) => () => l);
  };
  const lists = managedKinds().map(listOf);
  // The Enterprise-only kinds once the target is known to be Enterprise (its version may be read
  // from Consul): through the same store, so the plan memo's digest holds their answers too.
  // A failed edition read lists nothing more; the caller reports that failure itself.
  let cancelled = false;
  const more = (enterprise ?? Promise.resolve(false)).then(
    (ent) => Promise.all(ent && !cancelled ? enterpriseKinds().map(listOf) : []),
    () => [],
  );
  // Parsed only when the plan asks: a plan printed from its memo (src/cli/plan-cache.ts) never does.
  const all = Promise.all([Promise.all(lists), more]).then(([ce, ent]) => [...ce, ...ent]);
  const answered = all.then(() => {});
  answered.catch(() => {});
  let entries: Promise<LiveEntry[]> | undefined;
  return {
    answered,
    get entries() {
      return (entries ??= all.then((l) => l.flatMap((parse) => parse())));
    },
    ...(history ? { history: historyAfter(answered, history) } : {}),
    cancel: () => {
      cancelled = true;
      controllers.forEach((c) => c.abort());
    },
  };
}

/**
 * `crdNamespaces` against a Consul known to be CE (its configured or reported version has no
 * `+ent`): consul-k8s maps namespaces only with Enterprise (namespaces.go ConsulNamespace returns ""
 * when they are not enabled), and CE refuses any namespace, so the plan stops before any write.
 */
function crdNamespacesOnCe(options: PlanOptions, target: ReturnType<typeof parseTargetConsul>): ConfigEntryError[] {
  if (!options.crdNamespaces || !target || isEnterprise(target)) return [];
  return [
    configEntryError(
      'validate',
      'consul-gitops.yaml',
      undefined,
      'crdNamespaces',
      `this Consul (${options.consulVersion}) is Community Edition, which has no namespaces: consul-k8s on CE writes every entry to the default namespace`,
      'remove crdNamespaces from the target',
    ),
  ];
}

export async function makePlan(files: readonly SourceFile[], store: ConfigEntryStore, options: PlanOptions, context: PlanContext = {}): Promise<PlanOutcome> {
  const { history, only, target: targetName = 'default', live: started } = context;
  // Normalised once, for the target's version (CE): validation and the diff share it. The
  // cross-entry rules are judged once, below, against the mesh as it will be.
  const target = parseTargetConsul(options.consulVersion);
  const consul = isEnterprise(target) || !target ? undefined : target;
  const enterprise = isEnterprise(target);
  const partition = store.home?.partition;
  // What shapes each file's entries besides its text: a cached file is reused only under the same.
  const reuse = context.reuse?.(JSON.stringify([consul ?? null, enterprise, partition ?? null, options.crdNamespaces ?? null]));
  // Enterprise: entries without a Partition are written to the target's (exported-services is named after it).
  const rendered = renderTree(files, {
    ...(consul ? { consul } : {}),
    ...(enterprise ? { enterprise: true } : {}),
    ...(partition ? { partition } : {}),
    treeGraph: false,
    ...(options.crdNamespaces ? { crdNamespacesOf: () => options.crdNamespaces } : {}),
    ...(reuse ? { reuse } : {}),
  });
  // Enterprise: each entry in the namespace/partition it will be written to (tenancy-scope.ts).
  const scoped = store.home && scopeDesired(rendered.entries, store.home);
  const tree = scoped ? { ...rendered, entries: scoped.entries } : rendered;
  const errors = [...tree.decodeErrors, ...tree.validationErrors, ...(scoped ? scoped.errors : []), ...crdNamespacesOnCe(options, target)];
  if (errors.length) {
    started?.cancel();
    return { tree, errors, live: [] };
  }
  const entries = started?.entries ?? readLive(store, managedKinds(enterprise));
  // The last-apply record follows the entries (historyAfter) and is awaited only once the plan is made.
  const historyRead = started?.history ?? (history ? historyAfter(entries, history) : undefined);
  const live = await entries.catch(namingTarget(targetName, options.consulVersion));
  // Cross-entry rules against the mesh as it will be: files plus what stays live (a mesh entry
  // not kept in Git still gates permissive mode). Labelling changes made outside changes no write,
  // so the state the planner built is still the plan's.
  const planned = planWithState(tree.entries, live, options);
  const { last, problem: historyProblem } = (await historyRead) ?? {};
  const plan = markChangedOutside(planned.plan, last);
  const state = planned.state;
  // Indexes for naming a problem's change and file: built only when there is a problem to name.
  const byKey = lazy(() => new Map(plan.changes.map((c) => [c.key, c])));
  const decodedByKey = lazy(() => new Map(tree.entries.map((e) => [entryKey(entryIdOf(e.normalized)), e])));
  // A cross-entry problem of one change, named by its file and the field's line.
  const refuse = (change: Change, p: { field: string; message: string; hint?: string }) => {
    const d = decodedByKey().get(change.key);
    errors.push(configEntryError('graph', change.source ?? formatEntryId(change.id), d && positionOf(d, p.field), p.field, p.message, p.hint));
  };
  // Only what this plan writes is refused (below): a plan that writes nothing is not judged at all,
  // so a no-op plan does not compile every discovery chain of the mesh.
  const writes = plan.changes.some((c) => c.action === 'create' || c.action === 'update');
  const keys = writes ? [...state.keys()] : [];
  for (const p of writes ? graphProblems([...state.values()]) : []) {
    const change = byKey().get(keys[p.entryIndex]);
    // Only what this plan writes is ours to refuse; problems already live are Consul's business.
    if (change?.action !== 'create' && change?.action !== 'update') continue;
    refuse(change, p);
  }
  // Each state is valid, but no order of the writes passes Consul's check at every step (sameness-order.ts, release-order.ts).
  for (const p of writes ? [...memberCycleProblems(plan.changes), ...releaseProblems(plan.changes)] : []) refuse(p.change, p);
  // Every write checked, in apply order, against what Consul will hold at that moment (write-simulation.ts):
  // the states above may each be valid while a write on the way is refused. Only a plan that writes is
  // simulated; on Enterprise too, each entry and reference in its namespace and partition.
  if (!errors.length && plan.changes.some((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete'))
    for (const r of refusedWrites(plan.changes, state)) refuse(r.change, r);
  const problem = historyProblem ? { historyProblem } : {};
  if (errors.length) return { tree, errors, live, ...problem };
  const version = { name: targetName, ...(options.consulVersion ? { consulVersion: options.consulVersion } : {}) };
  if (!only?.length) return { tree, plan: await withMeshWriteWarnings(withVersionWarnings(plan, tree, version), store, consul), errors, live, ...problem };
  const restricted = restrictPlan(plan, live, only, options);
  if ('plan' in restricted)
    return { tree, plan: await withMeshWriteWarnings(withVersionWarnings(restricted.plan, tree, version), store, consul), errors, live, ...problem };
  for (const p of restricted.problems) {
    const d = p.change && decodedByKey().get(p.change.key);
    errors.push(configEntryError('graph', p.change?.source ?? '--only', d && p.field ? positionOf(d, p.field) : undefined, p.field, p.message, p.hint));
  }
  return { tree, errors, live, ...problem };
}

/**
 * A `+ent` target whose server answered an Enterprise-only list as CE does (the store says which
 * kind): the plan stops naming the target and its consulVersion. Nothing is written: the plan is not made.
 */
export function namingTarget(target: string, consulVersion: string | undefined): (e: unknown) => never {
  return (e) => {
    if (e instanceof EnterpriseKindRefusedError) throw targetClaimsEnterprise(target, consulVersion ?? '+ent', { listed: e.entryKind, answer: e.answer });
    throw e;
  };
}

/**
 * The plan warns when it writes an entry that needs mesh:write and the token lacks it (Consul would
 * answer 403 at apply): asked of Consul (`POST /v1/internal/acl/authorize`) only when the plan has
 * such a write, so other plans make no extra request.
 */
async function withMeshWriteWarnings(plan: Plan, store: ConfigEntryStore, consul: ConsulVersion | undefined): Promise<Plan> {
  if (!store.mayWriteMesh || meshWriteChanges(plan.changes, consul).length === 0) return plan;
  const allowed = await store.mayWriteMesh().then(
    (v) => v,
    (e: unknown) => ({ unknown: (e as Error).message }),
  );
  const warnings = meshWriteWarnings(plan.changes, allowed, consul);
  return warnings.length ? { ...plan, warnings: [...plan.warnings, ...warnings] } : plan;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * The plan warns, as `validate` does, of fields the target's Consul version does not know (it would
 * answer `invalid config key`), of api-gateway TLS it cannot build listeners from and of writes the
 * newest Consul source refuses, for the entries this plan writes: the PR plan then shows them too.
 */
function withVersionWarnings(plan: Plan, tree: RenderedTree, target: { name: string; consulVersion?: string }): Plan {
  const writes = new Set(plan.changes.filter((c) => c.action === 'create' || c.action === 'update').map((c) => c.key));
  // A plan that writes nothing has nothing to warn of: no pass over every file's entry.
  if (writes.size === 0) return plan;
  const warnings: PlanWarning[] = [];
  const gateways = apiGatewaysOf(tree.entries.map((d) => d.entry as Record<string, unknown>));
  for (const d of tree.entries) {
    const id = entryIdOf(d.normalized);
    if (!writes.has(entryKey(id))) continue;
    for (const e of entryVersionWarnings(d, target))
      warnings.push({ code: 'field-unknown-to-target-version', entry: formatEntryId(id), message: `${e.file}:${e.line}: ${e.field}: ${e.message}; ${e.hint}` });
    // api-gateway TLS Consul accepts but cannot build the gateway's listeners from (core/gateway-tls-merge.ts).
    for (const e of entryGatewayTLSWarnings(d, gateways))
      warnings.push({ code: 'gateway-tls-unbuildable', entry: formatEntryId(id), message: `${e.file}:${e.line}: ${e.field}: ${e.message}` });
    // A write the newest Consul source refuses and no known release does (validate warns of it too).
    for (const e of newestSourceWarnings(d))
      warnings.push({ code: 'newest-consul-source-refuses', entry: formatEntryId(id), message: `${e.file}:${e.line}: ${e.field}: ${e.message}; ${e.hint}` });
  }
  return warnings.length ? { ...plan, warnings: [...plan.warnings, ...warnings] } : plan;
}
