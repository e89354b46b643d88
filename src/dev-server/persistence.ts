// Saves the dev server's state to a JSON file after each write (temp file + rename, so a crash
// never leaves a torn file), loads it at start, and undoes the writes a failed save lost. bigint values (uint64 Flags/Hash, 64-bit ints
// in entries) are kept exact as {"$bigint": "<digits>"}.
import { renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { readRegularFile } from '../adapters/files/regular-file.ts';
import { escapeControl } from '../model/terminal-text.ts';
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

/** Far over the state of any dev server (50,000 entries save to about 40 MiB), under V8's longest string. */
const STATE_MAX_BYTES = 400 * 1024 * 1024;

export function loadState(state: DevState, file: string): void {
  // A regular file only: a FIFO would hang the start, /dev/zero would fill memory.
  const read = readRegularFile(file, STATE_MAX_BYTES);
  if (!read.ok) {
    if (read.code === 'ENOENT') return;
    throw new ConsulGitopsError('config', `cannot read the dev server's state file ${escapeControl(file)}: ${read.reason}`);
  }
  if (read.text.trim() === '') return;
  let snap: StateSnapshot;
  try {
    snap = decodeSnapshot(read.text);
  } catch (e) {
    throw new ConsulGitopsError('config', `${escapeControl(file)}: not a dev server state file (${(e as Error).message}); move it away to start empty`);
  }
  if (snap?.version !== 1) throw new ConsulGitopsError('config', `${escapeControl(file)}: unsupported dev-server state version ${String(snap?.version)}`);
  state.restore(snap);
}

let counter = 0;

/** Writes the whole state to `file` (temp file + rename) and returns the text saved. */
export function saveState(state: DevState, file: string): string {
  const tmp = `${file}.${process.pid}.${++counter}.tmp`;
  const text = encodeSnapshot(state.snapshot());
  try {
    // The user's alone, as plan --out: it holds inline-certificate private keys and the KV store.
    // Created new (`wx`), so neither a link planted at the predictable name nor its mode is taken.
    rmSync(tmp, { force: true });
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
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
