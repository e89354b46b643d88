// The comment left on a strict-mode PR when plaintext traffic comes back before it is merged:
// which instances, how much, and when it was last seen.
import type { InstanceEvidence, ServiceVerdict } from '../core/advisor/model.ts';
import { capped, code, count, when } from './markdown.ts';

const rose = (i: InstanceEvidence) =>
  (i.permissive.connections?.increase ?? 0) > 0 || (i.permissive.rxBytes?.increase ?? 0) > 0 || (i.permissive.txBytes?.increase ?? 0) > 0;

const lastRise = (i: InstanceEvidence) =>
  Math.max(i.permissive.connections?.lastRiseAt ?? 0, i.permissive.rxBytes?.lastRiseAt ?? 0, i.permissive.txBytes?.lastRiseAt ?? 0) || undefined;

export function plaintextReturnedComment(v: ServiceVerdict): string {
  const hits = v.evidence.instances.filter(rose).sort((a, b) => (lastRise(b) ?? 0) - (lastRise(a) ?? 0));
  const { shown, rest } = capped(hits, 20);
  const lines = shown.map(
    (i) =>
      `- ${code(i.instance)}: ${count(i.permissive.connections?.increase ?? 0)} plaintext connections, ${count(i.permissive.rxBytes?.increase ?? 0)} bytes in, last at ${when(lastRise(i))}`,
  );
  if (rest) lines.push(`- … and ${rest} more instances`);
  const detail = lines.length ? lines.join('\n') : `- last plaintext seen ${when(v.evidence.permissive.lastSeenAt)}`;
  return [
    `Plaintext traffic came back to ${code(v.service.name)}, so it cannot go strict yet:`,
    detail,
    `Closing this PR. consul-gitops proposes it again once the permissive listener stays flat for a whole window.`,
  ].join('\n\n');
}
