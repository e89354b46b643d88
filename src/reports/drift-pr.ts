// The `driftMode: propose` pull request's title and body: every drifted entry with its file and the
// fields Consul changed (names only: values may be secrets, and the diff shows them to reviewers),
// and the entries that could not be proposed, with why. Entry names come from Consul: all escaped.
import type { DriftProposal } from '../core/import/drift-proposal.ts';
import { capped, code, fitBody, PULL_REQUEST_REST, table, text } from './markdown.ts';

const PREFIX = 'consul-gitops:drift-proposal';
const MAX_ROWS = 200;
const MAX_FIELDS = 12;

export function driftProposalTitle(target: string, proposal: DriftProposal): string {
  const n = proposal.proposed.length;
  return `Drift: accept Consul's values for ${n} entr${n === 1 ? 'y' : 'ies'} (${target})`;
}

export function driftProposalMarker(target: string): string {
  return `<!-- ${PREFIX} target=${encodeURIComponent(target)} -->`;
}

export function driftProposalBody(input: { target: string; branch: string; proposal: DriftProposal }): string {
  const { target, branch, proposal } = input;
  const marker = driftProposalMarker(target);
  const fields = (f: string[]) => {
    const { shown, rest } = capped(f, MAX_FIELDS);
    return shown.map(code).join(', ') + (rest ? ` and ${rest} more` : '') || '(ownership only)';
  };
  const rows = capped(proposal.proposed, MAX_ROWS);
  const skipped = capped(proposal.notProposed, MAX_ROWS);
  const sections = [
    marker,
    `## Accept out-of-band changes on ${code(target)}`,
    `Consul differs from ${code(branch)}: the entries below were changed outside Git (by hand, or by another tool). ` +
      `Merging this pull request makes Git say what Consul holds now, so the next apply changes nothing. ` +
      `Closing it leaves Consul as it is until \`consul-gitops apply\` puts Git's values back; consul-gitops does not propose it again until Consul matches Git once more.`,
    table(
      ['Entry', 'File', 'Fields changed in Consul', 'Edit'],
      rows.shown.map((e) => [
        code(e.entry),
        code(e.file),
        fields(e.fields),
        e.how === 'in-place' ? 'fields edited in place' : 'file rewritten in its format (comments are not kept)',
      ]),
    ) + (rows.rest ? `\n\n… and ${rows.rest} more entries.` : ''),
    ...(proposal.notProposed.length
      ? [
          `### Not proposed`,
          skipped.shown.map((e) => `- ${code(e.entry)}${e.file ? ` (${code(e.file)})` : ''}: ${text(e.reason.slice(0, 300))}`).join('\n') +
            (skipped.rest ? `\n- … and ${skipped.rest} more` : ''),
        ]
      : []),
    `---\n_Kept up to date by the scheduled drift check (\`driftMode: propose\`); closed when Consul matches Git again._`,
  ];
  return fitBody(sections.join('\n\n') + '\n', marker, undefined, PULL_REQUEST_REST);
}
