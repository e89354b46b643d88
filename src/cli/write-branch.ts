// The `--write-branch` step of `advise`: reads the tree relative to `--dir` (the paths a proposal
// commit uses), runs the use case with a LocalBranchWriter on the repository holding it, and
// prints one line per branch. Exit 1 when git failed to write a branch; a refusal is not an error.
import { resolve } from 'node:path';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { LocalBranchWriter } from '../adapters/git/local-branch.ts';
import type { ConnectCatalog } from '../app/advise.ts';
import { writeProposalBranches } from '../app/write-proposal-branches.ts';
import type { AdviceReport, AdvisorThresholds, TrafficSampleSource } from '../core/advisor/model.ts';
import { renderBranchOutcomes } from '../reports/branch-outcomes.ts';
import type { CliIo } from './io.ts';
import type { CrdNamespaces } from '../model/tenancy.ts';

export interface WriteBranchStep {
  /** `--dir` (or the target's dir) as given, relative to cwd. */
  dir: string;
  cwd: string;
  report: AdviceReport;
  catalog: ConnectCatalog;
  traffic: TrafficSampleSource;
  target: string;
  thresholds: AdvisorThresholds;
  /** The target's `crdNamespaces`. */
  crdNamespaces?: CrdNamespaces;
  /** Where the lines go: stdout, or stderr when stdout carries JSON. */
  out: CliIo['stdout'];
}

export async function writeBranchStep(step: WriteBranchStep, io: CliIo): Promise<number> {
  const dir = resolve(step.cwd, step.dir);
  const { files, unreadable } = await readLocalFiles(['.'], dir);
  if (unreadable.length) {
    for (const u of unreadable) io.stderr.write(`${u.path}: ${u.message}\n`);
    return 1;
  }
  const result = await writeProposalBranches(
    files,
    step.report,
    { branches: new LocalBranchWriter({ dir }), catalog: step.catalog, traffic: step.traffic },
    { target: step.target, thresholds: step.thresholds, ...(step.crdNamespaces ? { crdNamespaces: step.crdNamespaces } : {}) },
  );
  step.out.write(renderBranchOutcomes(result.branches, result.passthrough));
  // A branch kept because someone committed to it is a refusal, not a failure.
  return result.branches.some((b) => 'written' in b && !b.written.ok && !b.written.kept) ? 1 : 0;
}
