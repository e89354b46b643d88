// Golden files for the in-place edits: each input under test/fixtures/proposals/*/in is edited and
// compared byte for byte with its twin under out/ (UPDATE_GOLDEN=1 rewrites them), also as CRLF.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposeStrictMode } from '../../../src/core/proposals/propose-strict.ts';
import { proposeMeshLockdown } from '../../../src/core/proposals/propose-lockdown.ts';
import type { Proposal } from '../../../src/core/proposals/proposal.ts';

const root = join(import.meta.dirname, '../../fixtures/proposals');
const orders = { name: 'orders', namespace: 'default', partition: 'default' };

function changedLines(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.filter((line, i) => line !== b[i]).length;
}

function golden(group: string, propose: (path: string, text: string) => Proposal, oneLine: boolean) {
  const dir = join(root, group);
  for (const name of readdirSync(join(dir, 'in')).sort()) {
    const text = readFileSync(join(dir, 'in', name), 'utf8');
    for (const eol of ['\n', '\r\n']) {
      it(`${name} (${eol === '\n' ? 'LF' : 'CRLF'})`, () => {
        const input = text.replaceAll('\n', eol);
        const outcome = propose(name, input);
        if (!outcome.ok) throw new Error(outcome.reason);
        expect(outcome.changes).toHaveLength(1);
        const [change] = outcome.changes;
        expect(change.path).toBe(name);
        expect(change.before).toBe(input);
        const expectedPath = join(dir, 'out', name);
        if (process.env.UPDATE_GOLDEN && eol === '\n') writeFileSync(expectedPath, change.after);
        expect(change.after).toBe(readFileSync(expectedPath, 'utf8').replaceAll('\n', eol));
        if (oneLine) expect(changedLines(input, change.after)).toBe(1);
      });
    }
  }
}

describe('strict mode edited in place', () => {
  golden('strict', (path, text) => proposeStrictMode({ files: [{ path, text }], service: orders, origin: { kind: 'service-defaults', file: path } }), true);
});

describe('mesh lockdown edited in place', () => {
  golden('lockdown', (path, text) => proposeMeshLockdown({ files: [{ path, text }], meshDestinationsOnly: !path.includes('flag-only') }), false);
});
