import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseHcl } from '../../../src/formats/hcl/parse-hcl.ts';
import { handWritten } from './hcl-corpus.ts';
import { oracleParse, toGoShape } from './hcl-oracle.ts';

interface Vector {
  format: string;
  input: string;
  name: string;
}

const vectors = (JSON.parse(readFileSync(new URL('../../fixtures/consul-decode-vectors.json', import.meta.url), 'utf8')) as Vector[]).filter(
  (v) => v.format === 'hcl',
);

const broken: string[] = [
  'a',
  'a = 1\nfoo 2',
  'a = "unterminated\n',
  'a = 1\n}',
  'a {\n b = 1\n',
  'a = [1, 2',
  'a = [1 2]',
  'a = b',
  'a = "x\\q"',
  'a = 09',
  'a = 0x',
  'a b = 1',
  'a = <<EOF\nabc\n',
  'a = <<EOF\nabc\nEOF',
  'a = <<-EOF\nx\nEOF\n',
  'a = <<EOF x\n',
  'a = 1\n/* open',
  'Kind = “mesh”',
  "a = 'x'",
  'a = 1 +',
  '= 1',
  'a { b }',
  'true = 1',
  'a = [1, b]',
  'a = {',
  'a = 1 / 2',
  'a = "\\U00110000"',
  'x = 1e',
  'a = 1.5.3',
];

function compare(text: string): void {
  const ours = parseHcl(text);
  const theirs = oracleParse(text);
  if (!theirs.ok) {
    expect(ours.ok, `oracle rejected (${theirs.error}) but we accepted:\n${text}`).toBe(false);
    return;
  }
  if (!ours.ok) throw new Error(`we rejected (${JSON.stringify(ours.problems)}) but the oracle accepted:\n${text}`);
  expect(toGoShape(ours.documents[0])).toEqual(theirs.value);
}

describe('HCL1 differential: consul decode vectors', () => {
  it('has vectors', () => expect(vectors.length).toBeGreaterThan(3));
  for (const v of vectors) {
    it(v.name, () => compare(v.input));
  }
});

describe('HCL1 differential: hand-written corpus', () => {
  for (const [name, text] of Object.entries(handWritten)) {
    it(name, () => compare(text));
  }
});

describe('HCL1 differential: broken inputs are rejected by both', () => {
  for (const text of broken) {
    it(JSON.stringify(text), () => {
      expect(oracleParse(text).ok).toBe(false);
      expect(parseHcl(text).ok).toBe(false);
    });
  }
});
