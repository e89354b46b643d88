// A no-op plan takes Consul's copy of an entry as its own canonical form, without normalising it,
// when the copy holds exactly what the file writes (canonical.ts liveAsWritten). That must be what
// canonicalOf makes of the same copy, key order included (the plan's `before`, its JSON, the final
// state): random entries of every kind (test/support/random-entries.ts), normalised as validation
// does, written out with the markers as Consul answers them (Meta's keys sorted, the indexes, `{}`
// for structs left empty, Go pointer fields among them), and then changed in one place.
import { describe, expect, it } from 'vitest';
import { canonicalOf, liveAsWritten } from '../../../src/core/plan/canonical.ts';
import { withOwnership } from '../../../src/core/plan/ownership.ts';
import { unknownFields } from '../../../src/core/plan/unknown-fields.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { entryProblems } from '../../../src/core/entry-rules.ts';
import { stringifyApiJson } from '../../../src/core/api-json.ts';
import { parseConsulJson } from '../../../src/adapters/consul/json.ts';
import { KINDS } from '../../../src/model/registry.ts';
import { fieldSpec } from '../../../src/model/field-types.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';
import { entryOf, scalar } from '../../support/random-entries.ts';

const SOURCE = 'config-entries/x.hcl';

/** The written entry as Consul answers it: JSON, Meta's keys sorted (a Go map), the indexes after it. */
function asConsulAnswers(written: ApiEntry, r: () => number, fields: Record<string, unknown>): ApiEntry {
  const live = parseConsulJson(stringifyApiJson(written, 0)) as Record<string, unknown>;
  const meta = live.Meta as Record<string, unknown>;
  live.Meta = Object.fromEntries(
    Object.keys(meta)
      .sort()
      .map((k) => [k, meta[k]]),
  );
  // Structs the entry leaves empty come back as `{}` (Go's encoding of a struct with no omitempty).
  for (const name of Object.keys(fields)) if (!(name in live) && r() < 0.3) live[name] = pick(r, [{}, [], null]);
  live.CreateIndex = 12;
  live.ModifyIndex = 13;
  return live as ApiEntry;
}

function validates(entry: ApiEntry): boolean {
  try {
    return entryProblems(entry).length === 0;
  } catch {
    return false;
  }
}

/** One change somewhere in the entry: a value replaced, a key added or removed, a list shortened. */
function changedOnce(v: unknown, r: () => number): unknown {
  if (Array.isArray(v)) {
    if (v.length === 0 || r() < 0.3) return r() < 0.5 ? [...v, scalar(r)] : v.slice(1);
    const i = Math.floor(r() * v.length);
    return v.map((x, j) => (j === i ? changedOnce(x, r) : x));
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    const o = { ...(v as Record<string, unknown>) };
    if (keys.length === 0 || r() < 0.2) o[pick(r, ['Extra', 'Protocol', 'Mode', 'a'])] = scalar(r);
    else {
      const k = pick(r, keys);
      if (r() < 0.2) delete o[k];
      else o[k] = changedOnce(o[k], r);
    }
    return o;
  }
  return r() < 0.5 ? scalar(r) : pick(r, [{}, [], '', 0, false]);
}

describe('liveAsWritten: Consul’s copy as its canonical form', () => {
  it('gives what canonicalOf gives, whenever it answers, for random entries of every kind', () => {
    const r = seededRandom(1812);
    let exact = 0;
    let answered = 0;
    let changed = 0;
    const perKind: Record<string, number> = {};
    for (const def of KINDS) {
      const fields = Object.fromEntries(Object.keys(def.fields).map((k) => [k, fieldSpec(def.fields[k]).type]));
      for (let i = 0; i < 150; i++) {
        let file: ApiEntry;
        let written: ApiEntry;
        try {
          // A value of the wrong type that Normalize cannot take (or JSON cannot hold): no such file validates.
          file = normalizeEntry(entryOf(r, def.kind));
          written = withOwnership(file, SOURCE);
          stringifyApiJson(written, 0);
        } catch {
          continue;
        }
        // Only an entry validation lets through reaches the planner: one with a value of the wrong
        // type can make a second Normalize differ from the first (an ingress listener's `Protocol: []`).
        if (file.Kind !== def.kind || !validates(file)) continue;
        const live = asConsulAnswers(written, r, fields);
        const variants = [live, changedOnce(live, r) as ApiEntry, changedOnce(live, r) as ApiEntry];
        variants.forEach((v, n) => {
          const fast = liveAsWritten(v, file, SOURCE);
          if (!fast) return;
          let slow: ApiEntry;
          try {
            slow = canonicalOf(v);
          } catch {
            // A value of the wrong type that Normalize cannot take: validation refuses such a file.
            return;
          }
          answered++;
          if (n === 0) exact++;
          else changed++;
          perKind[def.kind] = (perKind[def.kind] ?? 0) + 1;
          expect(stringifyApiJson(fast, 0), `${def.kind} #${i} variant ${n}`).toBe(stringifyApiJson(slow, 0));
          // The planner takes an answer as carrying no field unknown to consul-gitops (plan.ts `lost`).
          expect(unknownFields(fast), `${def.kind} #${i} variant ${n}`).toEqual([]);
        });
      }
    }
    // The shortcut is taken for most unchanged copies, and the comparison above is not empty.
    expect(exact).toBeGreaterThan(300);
    expect(answered).toBeGreaterThan(exact);
    expect(changed).toBeGreaterThan(0);
  });

  it('gives what canonicalOf gives for valid entries of the kinds random ones rarely make valid', () => {
    // A Go pointer field (service-defaults MaxRequestHeadersKB, api-gateway ExtAuthz), whose `{}`
    // normalising keeps, and a []byte field (jwt-provider's JWKS), which Consul answers encoded once more.
    const files: ApiEntry[] = [
      { Kind: 'service-defaults', Name: 'web', Protocol: 'http' },
      { Kind: 'service-defaults', Name: 'api', MutualTLSMode: 'permissive', UpstreamConfig: { Defaults: { PassiveHealthCheck: { MaxFailures: 5 } } } },
      { Kind: 'service-intentions', Name: 'web', Sources: [{ Name: 'api', Action: 'allow' }] },
      { Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Local: { JWKS: 'eyJrZXlzIjpbXX0=' } } },
      { Kind: 'api-gateway', Name: 'gw', Listeners: [{ Name: 'l', Port: 8080, Protocol: 'http' }] },
    ];
    const r = seededRandom(7);
    const seen = new Set<string>();
    for (const raw of files) {
      const file = normalizeEntry(raw);
      expect(validates(file), raw.Kind).toBe(true);
      const def = KINDS.find((k) => k.kind === raw.Kind)!;
      const fields = Object.fromEntries(Object.keys(def.fields).map((k) => [k, fieldSpec(def.fields[k]).type]));
      for (let i = 0; i < 40; i++) {
        const live = asConsulAnswers(withOwnership(file, SOURCE), r, fields);
        const fast = liveAsWritten(live, file, SOURCE);
        if (fast) seen.add(raw.Kind);
        if (fast) expect(stringifyApiJson(fast, 0), `${raw.Kind} #${i}`).toBe(stringifyApiJson(canonicalOf(live), 0));
      }
    }
    // Consul's copy of a []byte never equals the file's: left to canonicalOf.
    expect([...seen].sort()).toEqual(['api-gateway', 'service-defaults', 'service-intentions']);
  });

  it('does not answer for a copy that differs from the file, nor for another source path', () => {
    const file = normalizeEntry({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    const live = asConsulAnswers(withOwnership(file, SOURCE), () => 0.99, {});
    expect(liveAsWritten(live, file, SOURCE)).toEqual({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: live.Meta });
    expect(liveAsWritten({ ...live, Protocol: 'grpc' }, file, SOURCE)).toBeUndefined();
    expect(liveAsWritten({ ...live, MutualTLSMode: 'permissive' }, file, SOURCE)).toBeUndefined();
    expect(liveAsWritten(live, file, 'config-entries/other.hcl')).toBeUndefined();
    expect(liveAsWritten({ ...live, Meta: { ...(live.Meta as object), team: 'a' } }, file, SOURCE)).toBeUndefined();
    // A number where the file has a bigint (or the other way) is left to canonicalOf.
    expect(liveAsWritten({ ...live, MaxInboundConnections: 5 }, { ...file, MaxInboundConnections: 5n }, SOURCE)).toBeUndefined();
  });
});
