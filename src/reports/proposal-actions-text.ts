// What the proposals run did, for a terminal or a log: one line per proposal (action, branch, PR
// or reason), escaped like every other name from Consul's catalog.
import type { ProposalAction } from '../app/proposals/settle-proposal.ts';
import { escapeControl } from './advice-text.ts';

export function renderProposalActions(actions: readonly ProposalAction[], dashboard?: { number: number; open: boolean }, lockdownHeldBack?: string): string {
  const lines = ['', 'Pull requests:'];
  if (actions.length === 0) lines.push('  nothing to propose');
  for (const a of actions) {
    const where = a.pr ? ` ${a.pr.url}` : '';
    lines.push(
      `  ${a.kind.padEnd(16)} ${escapeControl(a.branch)}${where}${a.detail && a.kind !== 'unchanged' ? ` (${escapeControl(a.detail.split('\n')[0].slice(0, 200))})` : ''}`,
    );
  }
  // Why no mesh-lockdown PR although Git has no permissive service left (core/proposals/lockdown-gate.ts).
  if (lockdownHeldBack) lines.push(`  mesh lockdown: ${escapeControl(lockdownHeldBack)}`);
  if (dashboard) lines.push(`Posture dashboard: issue #${dashboard.number} (${dashboard.open ? 'open' : 'closed: the mesh is strict and locked down'})`);
  return `${lines.join('\n')}\n`;
}
