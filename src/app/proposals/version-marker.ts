// The hidden line a proposal's body ends with: a hash of the change (title, labels, files before
// and after) and of the evidence the proposal rests on. A later run that computes the same two
// hashes makes no request at all; the same change with new evidence only updates the body.
import { createHash } from 'node:crypto';
import type { ProposalRequest } from '../ports/proposal-pull-requests.ts';

export interface ProposalVersion {
  change: string;
  evidence: string;
}

const short = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

export function proposalVersion(request: Omit<ProposalRequest, 'body' | 'message'>, evidence: unknown): ProposalVersion {
  const files = [...request.changes].sort((a, b) => a.path.localeCompare(b.path)).map((c) => [c.path, c.before ?? null, c.after]);
  return { change: short([request.branch, request.title, [...request.labels].sort(), files]), evidence: short(evidence) };
}

export function versionLine(v: ProposalVersion): string {
  return `<!-- consul-gitops:proposal-version change=${v.change} evidence=${v.evidence} -->`;
}

export function parseVersionLine(body: string): ProposalVersion | undefined {
  const m = /<!-- consul-gitops:proposal-version change=([0-9a-f]{16}) evidence=([0-9a-f]{16}) -->/.exec(body);
  return m ? { change: m[1], evidence: m[2] } : undefined;
}
