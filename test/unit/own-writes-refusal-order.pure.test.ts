// ownWrites reads the last-applied and last-written records side by side. When the token may read
// neither, the refusal it reports is the last-applied record's whichever answer comes back first, so
// one Consul gives one notice on every run (a memoised plan and a computed one print the same).
import { expect, it } from 'vitest';
import { ownWrites } from '../../src/app/commit-state.ts';

it('names the last-applied record even when the last-written refusal comes back first', async () => {
  const store = {
    read: (key: string) =>
      key.endsWith('last-written')
        ? Promise.reject(new Error(`refused: ${key}`))
        : new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`refused: ${key}`)), 20)),
    write: () => Promise.resolve(true),
  };
  await expect(ownWrites(store, 'consul-gitops/state/prod/last-applied')).rejects.toThrow('refused: consul-gitops/state/prod/last-applied');
});
