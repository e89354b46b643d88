// What `advise --write-branch` did, one line per proposal: the branch and created / updated /
// unchanged, or why nothing was proposed. Pure; names are escaped like every advisor report.
import type { BranchOutcome } from '../app/write-proposal-branches.ts';
import type { PassthroughJudgement } from '../core/advisor/passthrough.ts';
import { escapeControl, formatService, formatTime } from './advice-text.ts';

const MAX_LINES = 20;

export function renderBranchOutcomes(outcomes: readonly BranchOutcome[], passthrough?: PassthroughJudgement): string {
  if (outcomes.length === 0) return 'Branches: no service is ready for strict; no branch written.\n';
  const lines = ['Branches:'];
  for (const o of outcomes) {
    if ('refused' in o) lines.push(`  ${escapeControl(o.subject)}: ${escapeControl(o.refused)}`);
    else if (o.written.ok) lines.push(`  ${o.written.branch}: ${o.written.outcome} (${o.written.commit.slice(0, 12)})`);
    else if (o.written.kept) lines.push(`  ${o.written.branch}: ${escapeControl(o.written.reason)}`);
    else lines.push(`  ${o.written.branch}: not written: ${escapeControl(o.written.reason)}`);
  }
  const outside = passthrough?.outsideMesh ?? [];
  const unknown = passthrough?.unknown ?? [];
  if (outside.length) {
    lines.push('  MeshDestinationsOnly is held back: these services reached destinations outside the mesh inside the window:');
    for (const o of outside.slice(0, MAX_LINES))
      lines.push(`    - ${formatService(o.service)}: ${o.atMost ? 'up to ' : ''}${o.connections} connections, last seen ${formatTime(o.lastSeenAt)}`);
    if (outside.length > MAX_LINES) lines.push(`    - … and ${outside.length - MAX_LINES} more`);
  }
  if (unknown.length) {
    lines.push('  MeshDestinationsOnly is held back: passthrough traffic cannot be ruled out:');
    for (const u of unknown.slice(0, MAX_LINES)) lines.push(`    - ${escapeControl(u)}`);
    if (unknown.length > MAX_LINES) lines.push(`    - … and ${unknown.length - MAX_LINES} more`);
  }
  return `${lines.join('\n')}\n`;
}
