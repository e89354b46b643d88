// normalizeEntry and a live entry's canonical form no longer deep-copy the entry first, and drop
// zero values copying only what changes (copies per entry per plan were garbage at 10,000 entries).
// That is sound only while every kind's Normalize leaves its input alone: each kind is given
// deep-frozen random entries (a write to a frozen object throws in a module), and the answer must
// equal the copying form's, exactly, for every version; the top level is always a new object.
import { describe, expect, it } from 'vitest';
import { isZero, normalizeEntry } from '../../../src/core/normalize.ts';
import { canonicalLive } from '../../../src/core/plan/canonical.ts';
import { liveBytesDecoded } from '../../../src/core/plan/live-bytes.ts';
import { cloneData } from '../../../src/core/clone-data.ts';
import { KINDS, kindDefinition } from '../../../src/model/registry.ts';
import { fieldSpec, isPointer, type FieldType } from '../../../src/model/field-types.ts';
import { canonicalNestedTenancy, parseTargetConsul } from '../../../src/model/tenancy.ts';
import type { ConsulVersion } from '../../../src/model/consul-versions.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';
import { deepFreeze, entryOf, put } from '../../support/random-entries.ts';

const random = seededRandom;

/** What a call answers, or the message it throws (a value of the wrong type makes some Normalize throw, before as now). */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    return { threw: (e as Error).message };
  }
}

const OPAQUE_KEYS = new Set(['Config', 'Arguments', 'Meta', 'LegacyMeta']);

/** normalize.ts omitZero as it was: every object and list built afresh. */
function omitZero(value: unknown, type?: FieldType): unknown {
  const inner = (v: unknown, t?: FieldType) => (v && typeof v === 'object' ? omitZero(v, t) : v);
  if (Array.isArray(value)) return value.map((v) => inner(v, type?.t === 'list' ? type.of : undefined));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    if (type?.t === 'map') {
      for (const k of Object.keys(record)) if (record[k] !== undefined) put(out, k, inner(record[k], type.of));
      return out;
    }
    const fields = type?.t === 'object' ? type.fields : undefined;
    for (const k of Object.keys(record)) {
      const v = record[k];
      if (OPAQUE_KEYS.has(k)) {
        if (v !== undefined && v !== null && !(typeof v === 'object' && Object.keys(v).length === 0)) out[k] = v;
        continue;
      }
      const f = fields && Object.hasOwn(fields, k) ? fieldSpec(fields[k]).type : undefined;
      const kept = inner(v, f);
      if (!isZero(kept) || (kept !== undefined && kept !== null && isPointer(f))) put(out, k, kept);
    }
    return out;
  }
  return value;
}

/** normalizeEntry as it was: a deep copy, then the kind's Normalize, then the zero values dropped into fresh objects. */
function copyingNormalize(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const def = kindDefinition(entry.Kind);
  const copy = cloneData(entry);
  const out = def?.normalize ? def.normalize(copy, consul) : copy;
  return omitZero(out, def ? { t: 'object', fields: def.fields } : undefined) as ApiEntry;
}

/** canonical.ts canonicalOf as it was: a deep copy without the server's fields and default tenancy. */
function copyingCanonical(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(entry)) {
    const v = entry[k];
    if (['CreateIndex', 'ModifyIndex', 'Hash', 'Status'].includes(k)) continue;
    if ((k === 'Partition' || k === 'Namespace') && v === 'default') continue;
    put(copy, k, cloneData(v));
  }
  return canonicalNestedTenancy(copyingNormalize(liveBytesDecoded(copy as ApiEntry), consul), consul);
}

const VERSIONS = [undefined, parseTargetConsul('1.18.0'), parseTargetConsul('1.21.4'), parseTargetConsul('1.22.0'), parseTargetConsul('1.21.4+ent')];

describe('normalizeEntry without a copy first', () => {
  for (const { kind } of KINDS)
    it(`${kind}: leaves a frozen input alone and answers what the copying form answered (600 random entries)`, () => {
      const r = random(kind.length * 7919 + kind.charCodeAt(0));
      for (let i = 0; i < 600; i++) {
        const consul = pick(r, VERSIONS);
        const entry = entryOf(r, kind);
        const expected = outcome(() => copyingNormalize(entry, consul));
        const frozen = deepFreeze(cloneData(entry));
        const answer = outcome(() => normalizeEntry(frozen, consul));
        expect({ i, answer }).toStrictEqual({ i, answer: expected });
        if (answer && typeof answer === 'object' && 'value' in answer) expect(answer.value).not.toBe(frozen);
        // The frozen input is what it was (a Normalize that wrote to it would have thrown above).
        expect(frozen).toStrictEqual(entry);
      }
    });
});

describe("a live entry's canonical form without a copy first", () => {
  it("equals the copying form's for every kind, with server fields and tenancy, and leaves Consul's copy alone", () => {
    const r = random(31);
    for (let i = 0; i < 3_000; i++) {
      const consul = pick(r, VERSIONS);
      const entry = entryOf(r, pick(r, KINDS).kind) as Record<string, unknown>;
      entry.CreateIndex = 4;
      entry.ModifyIndex = 9;
      if (r() < 0.3) entry.Hash = 12345678901234567890n;
      if (r() < 0.5) entry.Namespace = pick(r, ['default', 'team', '']);
      if (r() < 0.5) entry.Partition = pick(r, ['default', 'eu']);
      const expected = outcome(() => copyingCanonical(entry as ApiEntry, consul));
      // A fresh frozen object each time: the canonical cache is keyed by the live object.
      const frozen = deepFreeze(cloneData(entry)) as ApiEntry;
      expect({ i, answer: outcome(() => canonicalLive(frozen, consul)) }).toStrictEqual({ i, answer: expected });
      expect(frozen).toStrictEqual(entry);
    }
  });
});
