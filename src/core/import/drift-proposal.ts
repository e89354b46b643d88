// `driftMode: propose`, the pure plan-to-files step: from the drift check's plan and the tree it was
// made from, the file changes that make Git say what Consul holds now (one driftRewrite per drifted
// entry, several entries of one file edited one after another), and what cannot be proposed, why.
import type { Change, Plan } from '../plan/plan.ts';
import { formatEntryId } from '../../model/entry-id.ts';
import type { SourceFile } from '../parse-files.ts';
import type { FileChange } from '../proposals/proposal.ts';
import { OWNER_KEY, SOURCE_KEY } from '../plan/ownership.ts';
import { driftRewrite } from './drift-rewrite.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';

export interface DriftedEntry {
  /** `service-defaults/api` (with partition/namespace when not default). */
  entry: string;
  file: string;
  /** API field paths that differ (`Protocol`, `TransparentProxy.MeshDestinationsOnly`); never values. */
  fields: string[];
  how: 'in-place' | 'whole-file';
}

export interface NotProposed {
  entry: string;
  file?: string;
  reason: string;
}

export interface DriftProposal {
  changes: FileChange[];
  proposed: DriftedEntry[];
  notProposed: NotProposed[];
}

/** Ownership markers are added by apply, never written to files: they are not drift to propose. */
const isMarker = (path: string) => path === 'Meta' || path === `Meta.${OWNER_KEY}` || path === `Meta.${SOURCE_KEY}`;

/** `crdNamespaces`: the target's, as the drift check's plan mapped CRDs with it. */
export function proposeDriftChanges(files: readonly SourceFile[], plan: Plan, crdNamespaces?: CrdNamespaces): DriftProposal {
  const original = new Map(files.map((f) => [f.path, f.text]));
  const current = new Map(original);
  const proposed: DriftedEntry[] = [];
  const notProposed: NotProposed[] = [];
  for (const c of plan.changes) {
    const entry = formatEntryId(c.id);
    if (c.action === 'create') {
      notProposed.push({
        entry,
        ...(c.source ? { file: c.source } : {}),
        reason: 'not in Consul (deleted outside Git?): delete the file to accept that, or let apply create it again',
      });
      continue;
    }
    if (c.action === 'delete') {
      notProposed.push({ entry, reason: 'in Consul and marked as managed by consul-gitops, but no file defines it: `consul-gitops import` writes its file' });
      continue;
    }
    if (c.action !== 'update') continue;
    const outcome = rewriteOne(c, current, crdNamespaces);
    if ('reason' in outcome) notProposed.push({ entry, ...(c.source ? { file: c.source } : {}), reason: outcome.reason });
    else if (outcome.proposed) proposed.push({ entry, ...outcome.proposed });
  }
  const changes: FileChange[] = [];
  for (const [path, text] of current) if (text !== original.get(path)) changes.push({ path, before: original.get(path)!, after: text });
  return { changes, proposed, notProposed };
}

function rewriteOne(
  c: Change,
  current: Map<string, string>,
  crdNamespaces: CrdNamespaces | undefined,
): { reason: string } | { proposed?: Omit<DriftedEntry, 'entry'> } {
  if (!c.before || !c.source) return { reason: 'no file or no live entry to compare' };
  const text = current.get(c.source);
  if (text === undefined) return { reason: `${c.source} is not in the tree that was read` };
  const rewrite = driftRewrite({ path: c.source, text }, c.before, crdNamespaces);
  if (!rewrite.ok) return { reason: rewrite.reason };
  const change = rewrite.changes[0];
  // Only the ownership markers differ (an entry not adopted yet): nothing to write to Git.
  if (!change) return {};
  current.set(c.source, change.after);
  const fields = [...new Set(c.fieldDiffs.map((d) => d.path).filter((p) => !isMarker(p)))];
  return { proposed: { file: c.source, fields, how: rewrite.how ?? 'whole-file' } };
}
