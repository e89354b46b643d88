// What a proposal is: the file changes that take the tree to the intended state, already verified,
// or the reason nothing is proposed. Plain data, shared by the PR and branch writers.

export interface FileChange {
  path: string;
  /** Undefined for a new file. */
  before?: string;
  after: string;
}

export type Proposal = { ok: true; changes: FileChange[] } | { ok: false; reason: string };

export const refuse = (reason: string): Proposal => ({ ok: false, reason });

/** The tree with the changes applied (new files appended). */
export function applyChanges<F extends { path: string; text: string }>(
  files: readonly F[],
  changes: readonly FileChange[],
): Array<{ path: string; text: string }> {
  const byPath = new Map(changes.map((c) => [c.path, c]));
  const out = files.map((f) => (byPath.has(f.path) ? { path: f.path, text: byPath.get(f.path)!.after } : { path: f.path, text: f.text }));
  for (const c of changes) if (c.before === undefined) out.push({ path: c.path, text: c.after });
  return out;
}
