// A posture finding: one check's verdict on the gathered facts, with what shows it and how to fix it.

export type PostureStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export interface Finding {
  id: string;
  title: string;
  status: PostureStatus;
  evidence: string;
  fix: string;
  /** For `unknown`: the permission that would answer the check. */
  permission?: string;
  /** The line of Consul's production checklist / onboarding guide the check comes from. */
  checklistLine: string;
}

export type Verdict = Pick<Finding, 'status' | 'evidence' | 'fix'> & { permission?: string };

export const pass = (evidence: string, fix = ''): Verdict => ({ status: 'pass', evidence, fix });
export const warn = (evidence: string, fix: string): Verdict => ({ status: 'warn', evidence, fix });
export const fail = (evidence: string, fix: string): Verdict => ({ status: 'fail', evidence, fix });
export const unknownFor = (k: { permission: string; why: string }): Verdict => ({
  status: 'unknown',
  evidence: k.why,
  fix: `grant the auditing token ${k.permission}`,
  permission: k.permission,
});
