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
