// The shape every posture check has: an id for --require, a title, its checklist line, a pure verdict.
import type { PostureFacts } from './facts.ts';
import type { Verdict } from './finding.ts';

export interface PostureCheck {
  id: string;
  title: string;
  checklistLine: string;
  evaluate(facts: PostureFacts): Verdict;
}
