// Saves the dev server's state to a JSON file after each write (temp file + rename, so a crash
// never leaves a torn file), loads it at start, and undoes the writes a failed save lost. bigint values (uint64 Flags/Hash, 64-bit ints
// in entries) are kept exact as {"$bigint": "<digits>"}.
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { DevState, StateSnapshot } from './state.ts';
import { ConsulGitopsError } from '../errors.ts';

const BIGINT_TAG = '$bigint';

export function encodeSnapshot(s: StateSnapshot): string {
  return JSON.stringify(s, (_k, v: unknown) => (typeof v === 'bigint' ? { [BIGINT_TAG]: v.toString() } : v));
}

export function decodeSnapshot(text: string): StateSnapshot {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[BIGINT_TAG];
      if (keys.length === 1 && keys[0] === BIGINT_TAG && typeof tagged === 'string') return BigInt(tagged);
    }
    return v;
  }) as StateSnapshot;
}

export function loadState(state: DevState, file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return;
  const snap = decodeSnapshot(text);
  if (snap.version !== 1) throw new ConsulGitopsError('config', `${file}: unsupported dev-server state version ${String(snap.version)}`);
  state.restore(snap);
}

let counter = 0;

/** Writes the whole state to `file` (temp file + rename) and returns the text saved. */
export function saveState(state: DevState, file: string): string {
  const tmp = `${file}.${process.pid}.${++counter}.tmp`;
  const text = encodeSnapshot(state.snapshot());
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    // A full disk can leave a partial temp file behind; the state file itself is untouched.
    try {
      unlinkSync(tmp);
    } catch {
      // none was made
    }
    throw e;
  }
  return text;
}

export interface GroupCommitStore {
  /** Writes the state to disk; throws when it cannot. */
  save(): void;
  /** Puts the state back as it was at the last save that succeeded. */
  rollback(): void;
  /** Where the state is saved (named in the answers of a failed save). */
  file: string;
}

/**
 * Group commit, as raft batches concurrent applies: the writes committed in one event-loop turn are
 * saved in one snapshot, and every answer given meanwhile is held until that snapshot is on disk,
 * so a write that was answered is always in the file. Saving the whole state once per write made
 * an apply of N entries against `--data` cost O(N²) in serialisation.
 *
 * When the save fails, the writes of that turn are undone (a raft log append that fails commits
 * nothing) and every held answer becomes a 500 saying so: the answers of that turn may have seen
 * those writes (a read, a CAS refusal, a graph check), so none of them is sent as it was.
 */
export class GroupCommit {
  private pending = false;
  private held: { send: () => void; fail: (message: string) => void }[] = [];

  constructor(private readonly store: GroupCommitStore) {}

  /** A write was committed in memory: it is saved before the answers of this turn go out. */
  committed(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => this.flush());
  }

  /** Sends an answer now, or once the pending snapshot is on disk (`fail` with the reason if it could not be saved). */
  hold(send: () => void, fail: (message: string) => void): void {
    if (this.pending) this.held.push({ send, fail });
    else send();
  }

  /** Saves the pending writes now (also at close), then releases the answers held for them. */
  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    const held = this.held;
    this.held = [];
    try {
      this.store.save();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.store.rollback();
      const message = `could not save the dev server's state to ${this.store.file}: ${reason}; the writes since the last save were undone`;
      process.stderr.write(`dev server: ${message}\n`);
      for (const h of held) h.fail(message);
      return;
    }
    for (const h of held) h.send();
  }
}
