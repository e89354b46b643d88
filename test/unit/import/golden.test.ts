// Golden renderings: how an imported entry of every kind reads in HCL and as a consul-k8s CRD.
// A change to the writers shows up here as a diff a reviewer reads. Regenerate deliberately with
// UPDATE_GOLDEN=1 npx vitest run test/unit/import/golden.test.ts, then review the diff.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVERY_KIND } from '../../fixtures/import/every-kind.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { kindDefinition } from '../../../src/model/registry.ts';
import { importedText } from '../../../src/core/import/round-trip.ts';

const DIR = join(import.meta.dirname, '../../fixtures/import/golden');

/** The entry as Consul returns it: index fields and a server-filled intention precedence included. */
function live(e: Record<string, unknown>): ApiEntry {
  return { ...e, CreateIndex: 5, ModifyIndex: 9 } as unknown as ApiEntry;
}

function golden(file: string, text: string): void {
  const at = join(DIR, file);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(at)) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(at, text);
  }
  expect(text).toBe(readFileSync(at, 'utf8'));
}

describe('golden HCL and CRD renderings', () => {
  for (const e of EVERY_KIND) {
    const base = `${e.Kind as string}-${(e.Name as string | undefined) ?? 'mesh'}`;
    it(`${base}.hcl`, () => {
      const out = importedText(live(e), 'hcl', `${base}.hcl`);
      if (!out.ok) throw new Error(out.message);
      golden(`${base}.hcl`, out.text);
    });
    if (kindDefinition(e.Kind as string)?.crdKind)
      it(`${base}.crd.yaml`, () => {
        const out = importedText(live(e), 'crd', `${base}.yaml`);
        if (!out.ok) throw new Error(out.message);
        golden(`${base}.crd.yaml`, out.text);
      });
  }

  it('intention sources as Consul returns them (Precedence, Type filled in) are written without them', () => {
    const out = importedText(
      live({ Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Action: 'allow', Precedence: 9, Type: 'consul', LegacyID: 'x' }] }),
      'hcl',
      'api.hcl',
    );
    expect(out).toEqual({ ok: true, text: 'Kind = "service-intentions"\nName = "api"\nSources = [\n  {\n    Name   = "web"\n    Action = "allow"\n  },\n]\n' });
  });
});
