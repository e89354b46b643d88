// What the lifecycle remembers between runs, in Consul KV through the StateStore port, one key per
// target (`<stateKeyPrefix>/<target>/advisor/proposals/state`, one read and at most one CAS write
// per run): each proposal's last verdict, its open PR, and a human's "no" (declinedAt). GitHub alone
// cannot tell "closed by a human, evidence never left ready" from "closed, then not ready, then
// ready again": that needs the verdict history, so it lives here.
import type { StateStore } from '../ports/config-entry-store.ts';

export interface ProposalMemory {
  /** The last verdict (`ready-for-strict`, …; `ready` / `not-ready` for the lockdown and the group). */
  verdict: string;
  /** Our open pull request for it, as of the last run. */
  pr?: number;
  /** The commit consul-gitops last put at the head of that PR's branch: another head means someone pushed to it. */
  head?: string;
  /** A human closed our PR without merging while the evidence stayed ready: do not reopen. */
  declinedAt?: number;
  declinedPr?: number;
}

export interface ProposalStateFile {
  version: 1;
  proposals: Record<string, ProposalMemory>;
}

export function proposalStateKey(stateKeyPrefix: string, target: string): string {
  return `${stateKeyPrefix.replace(/\/+$/, '')}/${target}/advisor/proposals/state`;
}

export interface LoadedState {
  state: ProposalStateFile;
  modifyIndex: number;
  raw: string | undefined;
}

export async function loadProposalState(store: StateStore, key: string): Promise<LoadedState> {
  const got = await store.read(key);
  if (!got) return { state: { version: 1, proposals: {} }, modifyIndex: 0, raw: undefined };
  try {
    const parsed = JSON.parse(got.value) as ProposalStateFile;
    if (parsed?.version === 1 && parsed.proposals && typeof parsed.proposals === 'object')
      return { state: parsed, modifyIndex: got.modifyIndex, raw: got.value };
  } catch {
    // A value we cannot read is replaced: forgetting a decline is safer than never proposing again.
  }
  return { state: { version: 1, proposals: {} }, modifyIndex: got.modifyIndex, raw: got.value };
}

/** Writes only when something changed; false when another run wrote meanwhile (its state wins). */
export async function saveProposalState(store: StateStore, key: string, loaded: LoadedState, next: ProposalStateFile): Promise<boolean> {
  const sorted: ProposalStateFile = { version: 1, proposals: Object.fromEntries(Object.entries(next.proposals).sort(([a], [b]) => a.localeCompare(b))) };
  const value = JSON.stringify(sorted);
  if (value === loaded.raw) return true;
  return store.write(key, value, loaded.modifyIndex);
}
