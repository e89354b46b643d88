// A pull request retargeted onto the target branch (action `edited` with `changes.base`) has never
// been planned against it: it needs a plan, or a required consul-gitops status never appears until
// someone pushes again. An `edited` of the title or body alone still needs none.
import { describe, expect, it } from 'vitest';
import { routeEvent } from '../../src/app/webhook/route-event.ts';
import { example } from '../functions/webhook/github-examples.ts';

const config = { branch: 'master', configDir: 'config-entries', repository: 'Codertocat/Hello-World' };

function edited(changes: Record<string, unknown>) {
  const payload = example('pull_request', (p) => p.action === 'synchronize');
  payload.action = 'edited';
  payload.changes = changes;
  return routeEvent({ name: 'pull_request', deliveryId: 'd-edit', payload }, config);
}

describe('pull_request edited', () => {
  it('plans a pull request whose base was changed to the target branch', () => {
    const decision = edited({ base: { ref: { from: 'develop' }, sha: { from: 'a'.repeat(40) } } });
    expect(decision.invoke).toMatchObject({ mode: 'plan', pullRequest: { number: 2 } });
  });

  it('ignores an edit of the title or body', () => {
    const decision = edited({ title: { from: 'old title' } });
    expect(decision.invoke).toBeUndefined();
    expect(decision.body.outcome).toBe('ignored');
  });
});
