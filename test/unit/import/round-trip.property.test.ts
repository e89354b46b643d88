// The import contract, checked from outside the writer: for every decode vector Consul accepts,
// every kind, and random entries generated from the kind registry, the written text (each of the
// four formats; CRD for kinds with one) read back by render and normalised equals the live entry
// normalised, compared as plan compares.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/consul-decode-vectors.json' with { type: 'json' };
import { EVERY_KIND } from '../../fixtures/import/every-kind.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { fieldSpec, type FieldType } from '../../../src/model/field-types.ts';
import { KINDS, kindDefinition } from '../../../src/model/registry.ts';
import { renderTree } from '../../../src/core/render.ts';
import { canonicalLive, diffValues } from '../../../src/core/plan/canonical.ts';
import { stringifyApiJson } from '../../../src/core/api-json.ts';
import { importedText } from '../../../src/core/import/round-trip.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../../../src/core/import/write-entry.ts';
import { fieldText } from '../../../src/model/field-text.ts';

const path = (f: ImportFormat) => `config-entries/x/entry.${f === 'hcl' ? 'hcl' : f === 'json' ? 'json' : 'yaml'}`;

/** The entry as Consul would hold it after accepting it, or undefined when Consul would refuse it. */
function accepted(entry: ApiEntry): ApiEntry | undefined {
  const tree = renderTree([{ path: 'live.json', text: stringifyApiJson(entry) }]);
  if (tree.decodeErrors.length || tree.validationErrors.length || tree.entries.length !== 1) return undefined;
  return { ...tree.entries[0].normalized, CreateIndex: 11, ModifyIndex: 12 };
}

/** Independently of the writer's own check: read the text back and compare as plan does. */
function expectRoundTrip(live: ApiEntry, format: ImportFormat): void {
  const out = importedText(live, format, path(format));
  if (!out.ok) throw new Error(`${live.Kind} ${format}: refused at ${out.field}: ${out.message}`);
  const tree = renderTree([{ path: path(format), text: out.text }]);
  expect([...tree.decodeErrors, ...tree.validationErrors]).toEqual([]);
  expect(tree.entries).toHaveLength(1);
  expect(diffValues(canonicalLive(live), tree.entries[0].normalized)).toEqual([]);
  expect(out.text).not.toMatch(/CreateIndex|ModifyIndex|managed-by/);
}

function formatsFor(kind: string): ImportFormat[] {
  return IMPORT_FORMATS.filter((f) => f !== 'crd' || kindDefinition(kind)?.crdKind);
}

const consulAccepts = (vectors as { name: string; expected: ApiEntry | null }[])
  .map((v) => ({ name: v.name, live: v.expected && accepted(v.expected) }))
  .filter((v): v is { name: string; live: ApiEntry } => !!v.live);

describe('round trip over Consul decode vectors', () => {
  it('has vectors Consul accepts', () => expect(consulAccepts.length).toBeGreaterThanOrEqual(6));
  for (const v of consulAccepts)
    for (const f of formatsFor(v.live.Kind))
      it(`${v.name} as ${f}`, () => {
        // A CRD cannot carry an admin partition: consul-k8s takes it from its own configuration.
        if (f === 'crd' && v.live.Partition) {
          const out = importedText(v.live, f, path(f));
          expect(out).toMatchObject({ ok: false, field: 'Partition' });
          return;
        }
        expectRoundTrip(v.live, f);
      });
});

describe('round trip over every kind', () => {
  for (const e of EVERY_KIND)
    for (const f of formatsFor(e.Kind as string)) it(`${fieldText(e.Kind)}/${fieldText(e.Name)} as ${f}`, () => expectRoundTrip(accepted(e as ApiEntry)!, f));
});

/** Random values for a registry field type; strings include what trips writers up (quotes, `${`, newlines, unicode). */
function arbitraryOf(type: FieldType, depth: number): fc.Arbitrary<unknown> {
  const text = fc.oneof(
    fc.constantFrom(
      'http',
      'a"b',
      'back\\slash',
      'line\nbreak\ttab',
      '${interp}',
      'ünïcødé ✓',
      '%{x}',
      ' spaced ',
      '#hash',
      '//c',
      'on',
      'no',
      '1e3',
      '0x10',
      '-',
    ),
    fc.string({ maxLength: 8 }),
  );
  switch (type.t) {
    case 'string':
    case 'time':
      return text;
    case 'bytes':
      return fc.constantFrom('YWJj', 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==');
    case 'bool':
      return fc.boolean();
    case 'int':
      return fc.integer({ min: -5, max: 100_000 });
    case 'float':
      return fc.oneof(fc.constantFrom(0.5, 1.25, 100, 1e-7, 3.3333), fc.integer({ min: 0, max: 1000 }));
    case 'duration':
      return type.encoding === 'nanoseconds'
        ? fc.constantFrom(1_000_000, 1_500_000_000, 5_000_000_000, 90_000_000_000, 3_600_000_000_000, 250)
        : fc.constantFrom('5s', '1m30s', '250ms', '1h0m0s', '1.5s');
    case 'list':
      return depth > 3 ? fc.constant(undefined) : fc.array(arbitraryOf(type.of, depth + 1), { maxLength: 2 });
    case 'map':
      return depth > 3
        ? fc.constant(undefined)
        : fc.dictionary(fc.constantFrom('k', 'a.b', 'x/y', 'with space', 'Q"'), arbitraryOf(type.of, depth + 1), { maxKeys: 2 });
    case 'opaque':
      return fc.dictionary(
        fc.constantFrom('protocol', 'n', 'nested', 'list'),
        fc.oneof(
          text,
          fc.integer(),
          fc.boolean(),
          fc.dictionary(fc.constantFrom('a', 'b'), text, { maxKeys: 2 }),
          fc.array(text, { minLength: 2, maxLength: 3 }),
        ),
        { maxKeys: 3 },
      );
    case 'object': {
      if (depth > 3) return fc.constant(undefined);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, f] of Object.entries(type.fields)) shape[k] = arbitraryOf(fieldSpec(f).type, depth + 1);
      return fc.record(shape, { requiredKeys: [] });
    }
  }
}

const generated = fc.constantFrom(...KINDS.filter((k) => !k.enterpriseOnly && !k.controllerOwned)).chain((def) =>
  (arbitraryOf({ t: 'object', fields: def.fields }, 0) as fc.Arbitrary<Record<string, unknown>>).map((body) => {
    const { Partition: _p, Namespace: _n, Status: _s, ...rest } = body;
    return { ...rest, Kind: def.kind };
  }),
);

describe('round trip over entries generated from the registry', () => {
  it('every entry Consul would accept is written in every format so it reads back the same', () => {
    let checked = 0;
    fc.assert(
      fc.property(generated, (raw) => {
        const live = accepted(raw);
        if (!live) return;
        checked++;
        for (const f of formatsFor(live.Kind)) expectRoundTrip(live, f);
      }),
      { numRuns: 600, seed: 16 },
    );
    expect(checked).toBeGreaterThan(50);
  });
});
