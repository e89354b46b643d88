// The proposal's change as a unified diff for the PR body and the commit message: the changed
// lines only (one line for a mode flip), or the whole file when it is new.
import type { FileChange } from '../core/proposals/proposal.ts';

export function changeDiff(change: FileChange): string {
  const after = splitLines(change.after);
  if (change.before === undefined) return [`--- /dev/null`, `+++ b/${change.path}`, `@@ -0,0 +1,${after.length} @@`, ...after.map((l) => `+${l}`)].join('\n');
  const before = splitLines(change.before);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const removed = before.slice(head, before.length - tail);
  const added = after.slice(head, after.length - tail);
  const range = (start: number, n: number) => (n === 1 ? `${start}` : `${n === 0 ? start - 1 : start},${n}`);
  return [
    `--- a/${change.path}`,
    `+++ b/${change.path}`,
    `@@ -${range(head + 1, removed.length)} +${range(head + 1, added.length)} @@`,
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
  ].join('\n');
}

/** Lines without their endings (a CRLF file diffs like an LF one). */
function splitLines(s: string): string[] {
  const lines = s.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
