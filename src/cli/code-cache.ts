// V8's code cache for the built CLI's command bundle (dist/hot.cjs), kept per user and per command:
// with it a `plan` skips compiling the bundle and the functions its last run compiled.
//
// Node 20 has no compile cache for ES modules (module.enableCompileCache is Node 22), but a script
// compiled through `vm.Script` takes V8's `cachedData`, and `createCachedData()` after a run holds
// every function that run compiled (bench/scale.bench.ts, `plan`). The cache is bytecode this process
// will run, so it is trusted only as far as the user's own files are:
//   - it lives in the user's cache directory ($XDG_CACHE_HOME or ~/.cache, /consul-gitops), which
//     must be a real directory owned by this user that no group or other user may write, and each
//     file must be a regular file owned by this user, written by nobody else (mode 0600 on write);
//   - V8 checks only the source's length and its own version and flags, so each file carries the
//     SHA-256 of the bundle, Node's version and the command it was made for, and of its own payload:
//     a cache for another build (a patched bundle of the same length), or a torn or corrupt file,
//     is ignored, never handed to V8;
//   - it is written whole to a fresh file (O_EXCL, 0600) and renamed into place, so concurrent runs
//     never read a half-written file;
//   - any failure (no home, a read-only disk, Windows' lack of owners) means no cache, never an error.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { Script } from 'node:vm';

const MAGIC = Buffer.from('consul-gitops v8 code cache 1\n');
const HASH_BYTES = 32;
/** A file is: magic, one byte (1: written after a run that succeeded), the key's hash, the payload's hash, the payload. */
/** A code cache of the whole CLI is about 1 MB; anything far larger is not one of ours. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface CodeCache {
  /** The cached data to hand to `vm.Script`, when a trusted, intact cache for this bundle exists. */
  data?: Buffer;
  /**
   * After the run: writes the script's cache when there was none, V8 rejected it (another V8 or
   * other flags), or it came from a run that failed (which compiled less) and this one succeeded.
   */
  save(script: Script, succeeded: boolean): void;
}

export const sha256 = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/** `$XDG_CACHE_HOME/consul-gitops` (when absolute, as the XDG spec requires) or `~/.cache/consul-gitops`. */
export function codeCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'consul-gitops');
  try {
    const home = homedir();
    return home ? join(home, '.cache', 'consul-gitops') : undefined;
  } catch {
    return undefined;
  }
}

/** Owned by this user and writable by nobody else: what may hold code this process runs. */
export function ownedAndPrivate(info: { uid: number; mode: number }, uid: number): boolean {
  return info.uid === uid && (info.mode & 0o022) === 0;
}

export function trustedDir(dir: string, uid: number): boolean {
  try {
    const info = lstatSync(dir);
    return info.isDirectory() && ownedAndPrivate(info, uid);
  } catch {
    return false;
  }
}

/**
 * The file's payload when it is ours, for this key, and intact; otherwise undefined. `magic` names
 * the kind of file (this one's or the entry cache's, entry-cache.ts), `maxBytes` its largest size.
 */
export function readTrusted(
  file: string,
  key: Buffer,
  uid: number,
  magic = MAGIC,
  maxBytes = MAX_FILE_BYTES,
): { data: Buffer; succeeded: boolean } | undefined {
  const found = readKeyed(file, key, uid, magic, maxBytes);
  return found && found.intact() ? { data: found.data, succeeded: found.succeeded } : undefined;
}

/**
 * readTrusted without checking the payload's hash yet: `intact()` checks it (once). For a file most
 * of whose runs use none of it (the entry cache after every file changed: every line misses), which
 * is then never hashed. Nothing of `data` may be used before `intact()` said true.
 */
export function readKeyed(
  file: string,
  key: Buffer,
  uid: number,
  magic = MAGIC,
  maxBytes = MAX_FILE_BYTES,
): { data: Buffer; succeeded: boolean; intact(): boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    const headerBytes = magic.length + 1 + 2 * HASH_BYTES;
    if (!info.isFile() || !ownedAndPrivate(info, uid) || info.size <= headerBytes || info.size > maxBytes) return undefined;
    // The header first: a cache of another build, Node or options (the first run after an upgrade)
    // is left unread, not read whole (tens of MB at 50,000 entries) only to be ignored.
    const bytes = Buffer.allocUnsafe(info.size);
    if (!readFully(fd, bytes, 0, headerBytes)) return undefined;
    if (!bytes.subarray(0, magic.length).equals(magic)) return undefined;
    const keyAt = magic.length + 1;
    if (!bytes.subarray(keyAt, keyAt + HASH_BYTES).equals(key)) return undefined;
    if (!readFully(fd, bytes, headerBytes, bytes.length)) return undefined;
    const data = bytes.subarray(headerBytes);
    let intact: boolean | undefined;
    return { data, succeeded: bytes[magic.length] === 1, intact: () => (intact ??= sha256(data).equals(bytes.subarray(keyAt + HASH_BYTES, headerBytes))) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Reads bytes [from, to) of `bytes` from the file's current offset; false when it ends first. */
function readFully(fd: number, bytes: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to;) {
    const n = readSync(fd, bytes, at, to - at, null);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

/** Writes `contents` to a fresh private file in `dir` (made 0700 if missing) and renames it to `file`. */
export function writeAtomically(dir: string, file: string, contents: Buffer[], uid: number): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return false;
  }
  // A directory made by someone else (or opened up since) gets nothing from us either.
  if (!trustedDir(dir, uid)) return false;
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    for (const c of contents) for (let at = 0; at < c.length;) at += writeSync(fd, c, at);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, file);
    return true;
  } catch {
    if (fd !== undefined) closeSync(fd);
    quietly(() => unlinkSync(temporary));
    return false;
  }
}

/** Ignores a failure: another run removed the file first, or it was never made. */
export function quietly(act: () => void): void {
  try {
    act();
  } catch {
    // Nothing to undo: a stale or temporary file left behind costs disk space only.
  }
}

/**
 * The code cache of `source` (the script's bytes as read: hashing them costs a tenth of hashing the
 * decoded text) for `command` (a command name; anything else shares one file). Off
 * when CONSUL_GITOPS_CODE_CACHE=0, where users have no owner ids (Windows), or without a cache dir.
 */
export function openCodeCache(source: Buffer, command: string, env: Readonly<Record<string, string | undefined>> = process.env): CodeCache {
  const none: CodeCache = { save: () => {} };
  const uid = process.getuid?.();
  const dir = codeCacheDir(env);
  if (env.CONSUL_GITOPS_CODE_CACHE === '0' || uid === undefined || dir === undefined) return none;
  const name = /^[a-z][a-z-]{0,30}$/.test(command) ? command : 'other';
  const key = sha256(`${process.version}\0${process.arch}\0${name}\0`, source);
  const file = join(dir, `${name}-${key.toString('hex').slice(0, 32)}.v8cache`);
  const found = trustedDir(dir, uid) ? readTrusted(file, key, uid) : undefined;
  return {
    ...(found ? { data: found.data } : {}),
    save(script, succeeded) {
      if (found && !script.cachedDataRejected && (found.succeeded || !succeeded)) return;
      let data: Buffer;
      try {
        data = script.createCachedData();
      } catch {
        return;
      }
      if (!writeAtomically(dir, file, [MAGIC, Buffer.from([succeeded ? 1 : 0]), key, sha256(data), data], uid)) return;
      // This command's caches for other builds or Node versions: one file per command, not one per upgrade.
      quietly(() => {
        for (const other of readdirSync(dir))
          if (other.startsWith(`${name}-`) && other.endsWith('.v8cache') && other !== basename(file)) unlinkSync(join(dir, other));
      });
    },
  };
}
