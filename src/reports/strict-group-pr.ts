// The grouped strict-mode proposal (`advisor.grouping: all`): one pull request taking every ready
// service to strict, with each service's deciding reason and last plaintext, and the whole change.
import { serviceKey, type ServiceVerdict } from '../core/advisor/model.ts';
import type { FileChange } from '../core/proposals/proposal.ts';
import { changeDiff } from './change-diff.ts';
import { capped, code, duration, fence, fitBody, PULL_REQUEST_REST, table, text, when } from './markdown.ts';
import { scopedServiceName } from '../core/advisor/service-scope.ts';
import { escapeControl } from '../model/terminal-text.ts';

const PREFIX = 'consul-gitops:strict-proposal-group';

export function strictGroupTitle(verdicts: readonly ServiceVerdict[]): string {
  return verdicts.length === 1
    ? `mTLS: move ${scopedServiceName(verdicts[0].service, escapeControl)} to strict`
    : `mTLS: move ${verdicts.length} services to strict`;
}

export function strictGroupMarker(target: string): string {
  return `<!-- ${PREFIX} target=${encodeURIComponent(target)} -->`;
}

export function strictGroupBody(input: { target: string; verdicts: readonly ServiceVerdict[]; changes: readonly FileChange[]; statsSource: string }): string {
  const marker = strictGroupMarker(input.target);
  const sorted = [...input.verdicts].sort((a, b) => serviceKey(a.service).localeCompare(serviceKey(b.service)));
  const { shown, rest } = capped(sorted, 250);
  const w = sorted[0]?.evidence.window;
  const sections = [
    marker,
    `## Move ${sorted.length} service${sorted.length === 1 ? '' : 's'} to strict mTLS (${code(input.target)})`,
    w
      ? `Every service below showed no plaintext traffic for ${duration(w.end - w.start)}, from ${when(w.start)} to ${when(w.end)} (samples from ${text(input.statsSource)}).`
      : '',
    table(
      ['Service', 'Namespace', 'Partition', 'Deciding reason', 'Last plaintext seen'],
      shown.map((v) => [
        code(v.service.name),
        code(v.service.namespace || 'default'),
        code(v.service.partition || 'default'),
        text((v.reasons[0] ?? '').slice(0, 200)),
        when(v.evidence.permissive.lastSeenAt),
      ]),
    ) + (rest ? `\n\n… and ${rest} more services.` : ''),
    `### The change`,
    input.changes.map((c) => fence('diff', changeDiff(c))).join('\n\n'),
    `---\n_Proposed by consul-gitops. It updates this PR when the set of ready services changes, and closes it when none is left._`,
  ];
  return fitBody(sections.filter(Boolean).join('\n\n') + '\n', marker, undefined, PULL_REQUEST_REST);
}
