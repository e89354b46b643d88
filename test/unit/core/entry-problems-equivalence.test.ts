// Validation asks entryProblems of every entry of a plan, and it now builds less per entry (no
// flatMap closure and copy for a kind whose Validate is ported from Go; service-intentions' duplicate
// key concatenated rather than mapped and joined). It must answer exactly what it answered before:
// random entries of every kind (test/support/random-entries.ts), valid and not, in each context,
// against the old function copied here as it was.
import { describe, expect, it } from 'vitest';
import { entryProblems, type EntryContext } from '../../../src/core/entry-rules.ts';
import { KINDS, kindDefinition } from '../../../src/model/registry.ts';
import { partitionOf } from '../../../src/model/tenancy.ts';
import { fieldText } from '../../../src/model/field-text.ts';
import type { ApiEntry, EntryProblem } from '../../../src/model/kind-definition.ts';
import { apiGatewayErrors } from '../../../src/core/write-checks/api-gateway.ts';
import { goErrorProblems, type GoError } from '../../../src/core/write-checks/go-error.ts';
import { ingressGatewayErrors } from '../../../src/core/write-checks/ingress-gateway.ts';
import { inlineCertificateErrors } from '../../../src/core/write-checks/inline-certificate.ts';
import { jwtProviderURIProblems } from '../../../src/core/write-checks/jwt-provider.ts';
import { meshTLSProblems } from '../../../src/core/write-checks/mesh.ts';
import { proxyDefaultsErrors } from '../../../src/core/write-checks/proxy-defaults.ts';
import { resolverFilterProblems } from '../../../src/core/write-checks/service-resolver.ts';
import { serviceDefaultsError } from '../../../src/core/write-checks/service-defaults.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';
import { entryOf, put } from '../../support/random-entries.ts';

const OLD_CONSUL_VALIDATE: Readonly<Record<string, (entry: ApiEntry) => GoError[]>> = {
  'service-defaults': (e) => {
    const err = serviceDefaultsError(e);
    return err ? [err] : [];
  },
  'proxy-defaults': proxyDefaultsErrors,
  'ingress-gateway': ingressGatewayErrors,
  'api-gateway': apiGatewayErrors,
  'inline-certificate': inlineCertificateErrors,
};

const OLD_EXTRA_CHECKS: Readonly<Record<string, { check: (entry: ApiEntry) => EntryProblem[]; before: readonly string[] }>> = {
  mesh: { check: meshTLSProblems, before: ['HTTP'] },
  'service-resolver': { check: resolverFilterProblems, before: ['DefaultSubset', 'Redirect', 'Failover', 'ConnectTimeout', 'RequestTimeout', 'LoadBalancer'] },
  'jwt-provider': {
    check: jwtProviderURIProblems,
    before: ['JSONWebKeySet.Remote.RetryPolicy', 'JSONWebKeySet.Remote.JWKSCluster', 'Locations', 'Forwarding', 'CacheConfig'],
  },
};

/** entry-rules.ts entryProblems as it was: flatMap over the Go errors. */
function oldEntryProblems(entry: ApiEntry, context: EntryContext = {}): EntryProblem[] {
  const def = kindDefinition(entry.Kind);
  if (!def) return [{ field: 'Kind', message: `invalid config entry kind: ${entry.Kind}` }];
  if (def.enterpriseOnly && !context.enterprise) return [{ field: 'Kind', message: def.enterpriseOnly }];
  if (def.controllerOwned) return [{ field: 'Kind', message: 'Permission denied: only writeable by controller' }];
  const problems: EntryProblem[] = [];
  const name = typeof entry.Name === 'string' ? entry.Name : '';
  const rule = def.nameRule;
  if (rule.rule === 'fixed') {
    const expected = rule.partitionNamed ? partitionOf(entry, context.partition) : rule.name;
    if ((name !== '' || !rule.normalized) && name !== expected) problems.push({ field: 'Name', message: rule.message(name, expected) });
  }
  const consul = OLD_CONSUL_VALIDATE[entry.Kind];
  const found = consul ? consul(entry).flatMap((e) => goErrorProblems(e)) : (def.validate?.(entry) ?? []);
  const extra = OLD_EXTRA_CHECKS[entry.Kind];
  if (extra) {
    const at = found.findIndex((p) => extra.before.some((b) => p.field.startsWith(b)));
    found.splice(at < 0 ? found.length : at, 0, ...extra.check(entry));
  }
  for (const p of found) if (!problems.some((q) => q.message === p.message) && !(context.enterprise && p.ceOnly)) problems.push(p);
  return problems;
}

/** The answer or the exception's text: a malformed entry may throw, and must throw the same. */
function outcome(f: () => EntryProblem[]): unknown {
  try {
    return { problems: f() };
  } catch (e) {
    return { threw: String(e) };
  }
}

const CONTEXTS: EntryContext[] = [{}, { enterprise: true }, { partition: 'team-a' }, { partition: 'default', enterprise: true }];

describe('entryProblems answers what it answered before', () => {
  for (const { kind } of KINDS)
    it(`${kind}: 300 random entries, as decoded and normalised, in every context`, () => {
      const r = seededRandom(kind.length * 7919 + kind.charCodeAt(0));
      let withProblems = 0;
      for (let i = 0; i < 300; i++) {
        const entry = entryOf(r, kind);
        if (r() < 0.3) put(entry, 'Name', pick(r, ['global', 'default', 'team-a', 'web', '', 'a*b', '*']));
        let normalized: ApiEntry | undefined;
        try {
          normalized = normalizeEntry(entry);
        } catch {
          normalized = undefined;
        }
        for (const e of normalized ? [entry, normalized] : [entry])
          for (const context of CONTEXTS) {
            const expected = outcome(() => oldEntryProblems(e, context));
            if ((expected as { problems?: EntryProblem[] }).problems?.length) withProblems++;
            expect({ i, context, got: outcome(() => entryProblems(e, context)) }).toStrictEqual({ i, context, got: expected });
          }
      }
      // Both sides are exercised: entries with problems and without.
      expect(withProblems).toBeGreaterThan(0);
    });

  it('service-intentions: a source is a duplicate exactly when Peer/Partition/Namespace/Name (as Go prints them) repeat', () => {
    const r = seededRandom(12);
    const values = [undefined, null, '', 'a', 'default', 1, '1', true, 'true', { x: 1 }, '{"x":1}'];
    const ALIASES = new Map<unknown, unknown>([
      [undefined, null],
      [null, ''],
      ['', undefined],
      [1, '1'],
      ['1', 1],
      [true, 'true'],
      ['true', true],
    ]);
    let duplicates = 0;
    for (let i = 0; i < 500; i++) {
      const Sources: { Name: string; Peer: unknown; Partition: unknown; Namespace: unknown; Action: string }[] = [];
      for (let n = 2 + Math.floor(r() * 3); n > 0; n--) {
        const earlier = Sources.length && r() < 0.6 ? pick(r, Sources) : undefined;
        // Often an earlier source again, each field as it was or as a value Go prints the same (1 and "1").
        const field = (v: unknown) => (earlier && r() < 0.8 ? (ALIASES.get(v) ?? v) : pick(r, values));
        Sources.push({
          Name: earlier?.Name ?? pick(r, ['web', 'api']),
          Peer: field(earlier?.Peer),
          Partition: field(earlier?.Partition),
          Namespace: field(earlier?.Namespace),
          Action: 'allow',
        });
      }
      const seen = new Set<string>();
      const expected: string[] = [];
      Sources.forEach((s, j) => {
        // The old key: the four fields mapped through fieldText and joined with '/'.
        const key = [s.Peer, s.Partition, s.Namespace, s.Name].map(fieldText).join('/');
        if (seen.has(key)) expected.push(`Sources[${j}] defines "${s.Name}" more than once`);
        seen.add(key);
      });
      duplicates += expected.length;
      const got = entryProblems({ Kind: 'service-intentions', Name: 'db', Sources })
        .map((p) => p.message)
        .filter((m) => m.includes('more than once'));
      expect({ i, got }).toStrictEqual({ i, got: expected });
    }
    expect(duplicates).toBeGreaterThan(50);
  });
});
