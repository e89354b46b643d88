// Saves the dev server's state to a JSON file after each write (temp file + rename, so a crash
// never leaves a torn file) and loads it at start. bigint values (uint64 Flags/Hash, 64-bit ints
// in entries) are kept exact as {"$bigint": "<digits>"}.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

export function saveState(state: DevState, file: string): void {
  const tmp = `${file}.${process.pid}.${++counter}.tmp`;
  writeFileSync(tmp, encodeSnapshot(state.snapshot()));
  renameSync(tmp, file);
}

/**
 * Group commit, as raft batches concurrent applies: the writes committed in one event-loop turn are
 * saved in one snapshot, and every answer given meanwhile is held until that snapshot is on disk,
 * so a write that was answered is always in the file. Saving the whole state once per write made
 * an apply of N entries against `--data` cost O(N²) in serialisation.
 */
export class GroupCommit {
  private pending = false;
  private held: { send: () => void; fail: () => void }[] = [];

  constructor(private readonly save: () => void) {}

  /** A write was committed in memory: it is saved before the answers of this turn go out. */
  committed(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => this.flush());
  }

  /** Sends an answer now, or once the pending snapshot is on disk (`fail` if it could not be saved). */
  hold(send: () => void, fail: () => void): void {
    if (this.pending) this.held.push({ send, fail });
    else send();
  }

  /** Saves the pending writes now (also at close), then releases the answers held for them. */
  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    const held = this.held;
    this.held = [];
    let saved = true;
    try {
      this.save();
    } catch (e) {
      saved = false;
      // The writes are in memory but not on disk: their clients get no answer (outcome unknown).
      process.stderr.write(`dev server: saving state failed: ${(e as Error).message}\n`);
    }
    for (const h of held) (saved ? h.send : h.fail)();
  }
}
