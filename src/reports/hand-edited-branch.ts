// What a proposal's pull request says once someone pushed to its branch: its evidence covers the
// change consul-gitops proposed, not the commits added since, and consul-gitops stops pushing there.
import { code } from './markdown.ts';

export const HAND_EDITED_MARK = '<!-- consul-gitops:branch-edited -->';

/** The notice that opens the body of a pull request whose branch head is no longer consul-gitops' commit. */
export function handEditedNotice(head: string, ours: string): string {
  return [
    HAND_EDITED_MARK,
    `> [!WARNING]`,
    `> **This branch was changed after consul-gitops proposed it**: its head is ${code(head.slice(0, 7))}, consul-gitops pushed ${code(ours.slice(0, 7))}. ` +
      `The evidence below is for the change shown under "The change" only; this branch holds other commits too: review every file of this pull request before merging. ` +
      `consul-gitops no longer pushes to this branch, and keeps it if it closes the pull request.`,
    '',
  ].join('\n');
}

/** The comment's last paragraph when a hand-edited proposal is closed. */
export const KEPT_BRANCH_NOTE = 'The branch is kept: it holds commits consul-gitops did not make.';
