// Consul's per-entry server checks: the kind's name rule, CE-only refusals (kinds and fields), then the kind's Validate().
// Kinds in CONSUL_VALIDATE are checked by a port of Consul's Validate() in ./write-checks (its
// order, early returns and multierror text); the others by the registry's, plus EXTRA_CHECKS.
import type { ApiEntry, EntryProblem } from '../model/kind-definition.ts';
import { kindDefinition } from '../model/registry.ts';
import { partitionOf } from '../model/tenancy.ts';
import { apiGatewayErrors } from './write-checks/api-gateway.ts';
import { goErrorProblems, goErrorText, type GoError } from './write-checks/go-error.ts';
import { ingressGatewayErrors } from './write-checks/ingress-gateway.ts';
import { inlineCertificateErrors } from './write-checks/inline-certificate.ts';
import { jwtProviderURIProblems } from './write-checks/jwt-provider.ts';
import { meshTLSProblems } from './write-checks/mesh.ts';
import { proxyDefaultsErrors } from './write-checks/proxy-defaults.ts';
import { resolverFilterProblems } from './write-checks/service-resolver.ts';
import { serviceDefaultsError } from './write-checks/service-defaults.ts';

/** Consul's errors in its order: Consul answers with the first, `validate` reports them all. */
const CONSUL_VALIDATE: Readonly<Record<string, (entry: ApiEntry) => GoError[]>> = {
  'service-defaults': (e) => {
    const err = serviceDefaultsError(e);
    return err ? [err] : [];
  },
  'proxy-defaults': proxyDefaultsErrors,
  'ingress-gateway': ingressGatewayErrors,
  'api-gateway': apiGatewayErrors,
  'inline-certificate': inlineCertificateErrors,
};

/**
 * Checks the registry's Validate lacks, placed where Consul runs them: before the first problem
 * whose field starts with one of `before` (Consul returns its first error; the dev server answers with it).
 */
const EXTRA_CHECKS: Readonly<Record<string, { check: (entry: ApiEntry) => EntryProblem[]; before: readonly string[] }>> = {
  mesh: { check: meshTLSProblems, before: ['HTTP'] },
  'service-resolver': { check: resolverFilterProblems, before: ['DefaultSubset', 'Redirect', 'Failover', 'ConnectTimeout', 'RequestTimeout', 'LoadBalancer'] },
  'jwt-provider': {
    check: jwtProviderURIProblems,
    before: ['JSONWebKeySet.Remote.RetryPolicy', 'JSONWebKeySet.Remote.JWKSCluster', 'Locations', 'Forwarding', 'CacheConfig'],
  },
};

/**
 * The entry as Consul's Validate sees it. A struct field the file gives as an empty block
 * (`UpstreamConfig {}`) is a non-nil pointer in Go, which Validate sees (ServiceConfigEntry.Validate:
 * `if s.UpstreamConfig != nil && s.Destination != nil`); the decoded form drops it as a zero value.
 * Top-level blocks only: the ones whose presence a Validate tests.
 */
export function withGivenBlocks(entry: ApiEntry, given: ReadonlyMap<string, unknown>): ApiEntry {
  const blocks = blockFieldsOf(entry.Kind);
  if (!blocks) return entry;
  let out = entry;
  for (const name of blocks) if (given.has(name) && out[name] === undefined) out = { ...out, [name]: {} };
  return out;
}

/**
 * The kind's top-level struct fields, in registry order, listed once per kind: validation asks of
 * every entry, and a [name, field] pair per field of the kind per entry was garbage at 10,000.
 */
const blockFields = new Map<string, readonly string[]>();

/** Keyed by the registry's kinds only: a file's unknown Kind is never kept (a long-running `serve` reads many files). */
function blockFieldsOf(kind: unknown): readonly string[] | undefined {
  if (typeof kind !== 'string') return undefined;
  const known = blockFields.get(kind);
  if (known) return known;
  const def = kindDefinition(kind);
  if (!def) return undefined;
  const names = Object.keys(def.fields).filter((name) => {
    const f = def.fields[name];
    return ('type' in f ? f.type : f).t === 'object';
  });
  blockFields.set(kind, names);
  return names;
}

export interface EntryContext {
  /** The target's partition (consul.partition, Enterprise): where an entry without `Partition` is written. */
  partition?: string;
  /** The target runs Consul Enterprise (`+ent`): CE's refusals of Enterprise features (`ceOnly`) do not apply. */
  enterprise?: boolean;
}

/** Problems Consul's server would report writing this normalised entry. */
export function entryProblems(entry: ApiEntry, context: EntryContext = {}): EntryProblem[] {
  const def = kindDefinition(entry.Kind);
  if (!def) return [{ field: 'Kind', message: `invalid config entry kind: ${entry.Kind}` }];
  // CE's refusal of the kind (its Validate fails, or MakeConfigEntry has no case); Enterprise accepts it.
  if (def.enterpriseOnly && !context.enterprise) return [{ field: 'Kind', message: def.enterpriseOnly }];
  if (def.controllerOwned) return [{ field: 'Kind', message: 'Permission denied: only writeable by controller' }];
  const problems: EntryProblem[] = [];
  const name = typeof entry.Name === 'string' ? entry.Name : '';
  const rule = def.nameRule;
  if (rule.rule === 'fixed') {
    const expected = rule.partitionNamed ? partitionOf(entry, context.partition) : rule.name;
    // A normalized rule fills an empty name (proxy-defaults → global); otherwise empty is refused too.
    if ((name !== '' || !rule.normalized) && name !== expected) problems.push({ field: 'Name', message: rule.message(name, expected) });
  }
  const consul = CONSUL_VALIDATE[entry.Kind];
  const found = consul ? problemsOf(consul(entry)) : (def.validate?.(entry) ?? []);
  const extra = EXTRA_CHECKS[entry.Kind];
  if (extra) {
    const at = found.findIndex((p) => extra.before.some((b) => p.field.startsWith(b)));
    found.splice(at < 0 ? found.length : at, 0, ...extra.check(entry));
  }
  for (const p of found) if (!problems.some((q) => q.message === p.message) && !(context.enterprise && p.ceOnly)) problems.push(p);
  return problems;
}

/**
 * Each Go error's problems, in order: `errors.flatMap(goErrorProblems)` without the closure and
 * the copy flatMap makes when there is nothing to flatten (a valid entry, nearly every one a plan sees).
 */
function problemsOf(errors: readonly GoError[]): EntryProblem[] {
  const out: EntryProblem[] = [];
  for (const e of errors) for (const p of goErrorProblems(e)) out.push(p);
  return out;
}

/**
 * Consul's exact error text for a kind whose Validate() is ported whole (multierror lists and
 * all), or for a first problem that carries Consul's whole answer (`consulText`); else undefined:
 * then the caller words it from entryProblems.
 */
export function entryErrorText(entry: ApiEntry, context: EntryContext = {}): string | undefined {
  const consul = CONSUL_VALIDATE[entry.Kind];
  if (consul) {
    const first = consul(entry)[0];
    return first ? goErrorText(first) : undefined;
  }
  return entryProblems(entry, context)[0]?.consulText;
}
