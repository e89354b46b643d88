// CONFIG_DIR spelled as the reconcile side accepts it (leading or trailing slash, `./`) must select
// the same pushes in the webhook: reconcile reads `/config-entries` as `config-entries`, so the
// webhook must not ignore every push under it.
import { describe, expect, it } from 'vitest';
import { routeEvent, touchesConfigDir } from '../../src/app/webhook/route-event.ts';
import { configPush } from '../functions/webhook/github-examples.ts';

const commits = [{ added: [], modified: ['config-entries/api.hcl'], removed: [] }];

describe('CONFIG_DIR spellings in the webhook', () => {
  it.each(['config-entries', 'config-entries/', './config-entries', '/config-entries', '/config-entries/'])('%s selects config-entries/api.hcl', (dir) => {
    expect(touchesConfigDir({ commits }, dir)).toBe('yes');
  });

  it('a push under the directory starts a reconcile with CONFIG_DIR=/config-entries', () => {
    const decision = routeEvent(
      { name: 'push', deliveryId: 'd', payload: configPush() },
      { branch: 'master', configDir: '/config-entries', repository: 'Codertocat/Hello-World' },
    );
    expect(decision.invoke?.mode).toBe('apply');
  });

  it('a leading slash still does not match a sibling directory', () => {
    expect(touchesConfigDir({ commits: [{ added: ['config-entries-old/x.hcl'], modified: [], removed: [] }] }, '/config-entries')).toBe('no');
  });
});
