// A dev server with --data saves the writes answered in one turn as one snapshot (group commit), and
// never answers a write before it is in the file. It used to rewrite the whole state once per write:
// an apply of N entries serialised O(N²) entries.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { call, useServers } from './support.ts';

const saves = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/dev-server/persistence.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/dev-server/persistence.ts')>();
  return {
    ...original,
    saveState: (...args: Parameters<typeof original.saveState>) => {
      saves.count++;
      original.saveState(...args);
    },
  };
});

const start = useServers();
const dir = mkdtempSync(join(tmpdir(), 'dev-server-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const storedNames = (file: string): string[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { entries: { entry: { Name?: string } }[] }).entries.map((e) => e.entry.Name ?? '');

describe('dev server --data', () => {
  it('answers 64 concurrent writes each only once it is in the file, with fewer snapshots than writes', async () => {
    const dataFile = join(dir, 'state.json');
    // The latency makes the 64 writes land in the same turns, as an apply's concurrent writes do.
    const s = await start({ dataFile, latencyMs: 20 });
    saves.count = 0;
    const names = Array.from({ length: 64 }, (_, i) => `svc-${i}`);
    const missingAtAnswer: string[] = [];
    await Promise.all(
      names.map(async (name) => {
        const r = await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: name, Protocol: 'http' });
        expect(r.text).toBe('true');
        if (!storedNames(dataFile).includes(name)) missingAtAnswer.push(name);
      }),
    );
    expect(missingAtAnswer).toEqual([]);
    // How many land in one turn depends on the machine's load; one snapshot per write was the bug.
    expect(saves.count).toBeGreaterThan(0);
    expect(saves.count).toBeLessThan(names.length);

    // A write with nothing to change saves nothing and is answered at once.
    const before = saves.count;
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'svc-0', Protocol: 'http' })).text).toBe('true');
    expect(saves.count).toBe(before);
    await s.close();
    expect(storedNames(dataFile).sort()).toEqual([...names].sort());
  });
});
