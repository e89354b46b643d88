// The built CLI's memo of a plan that writes nothing: what `plan` printed and the exit code it gave,
// kept under a digest of everything the plan was computed from, and printed again when every one of
// those inputs is the same, instead of parsing, normalising and comparing 10,000 entries again.
//
// A plan is a pure function of its inputs: the files (paths and texts), the command line, the
// target and its options (the Consul version among them, with the warnings and notices of choosing
// it, which plan --json prints), the tenancy the store writes to, the build and Node that ran it,
// whether stdout is a terminal, Consul's entries (every list answer, as received, which the entries
// are parsed from: ModifyIndex included) and the last-apply record. The
// key holds all of them. Anything that differs, one field changed in Consul behind our back
// included, is a miss and a full plan. Only a plan with no create, update or delete, no refusal,
// no error, no --only and no --out is kept: the output an apply would act on is always computed.
//
// Checked in two steps, so a run whose files are wrong never waits on Consul: the files' side of
// the key first (a match means these files planned cleanly before, since the same files, options and
// build render the same), then Consul's answers. Stored as the entry cache is (entry-cache.ts,
// code-cache.ts): the user's private cache directory, one file per target directory and target,
// mode 0600, owner-checked, keyed and with a hash of its payload; anything stale, foreign or corrupt
// is ignored and the plan computed. CONSUL_GITOPS_PLAN_CACHE=0 (or CONSUL_GITOPS_ENTRY_CACHE=0)
// turns it off.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SourceFile } from '../core/parse-files.ts';
import { codeCacheDir, readTrusted, sha256, trustedDir, writeAtomically } from './code-cache.ts';
import { runningBuildHash } from './entry-cache.ts';
import type { CliIo } from './io.ts';
import { knownSecrets, type KnownSecrets } from '../known-secrets.ts';

const MAGIC = Buffer.from('consul-gitops plan output cache 1\n');
/** A 50,000-entry `plan --json` prints about 20 MB; anything far larger is not one of ours. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** What a plan printed, in order: 0 stdout, 1 stderr. */
export type Written = [0 | 1, string][];

interface Stored {
  consul: string;
  written: Written;
  code: number;
}

export interface PlanCache {
  /** The files and options are the last kept plan's: Consul's answers decide whether it still holds. */
  readonly candidate: boolean;
  /** The kept output when Consul's answers are also the same; undefined otherwise. */
  replay(listed: string | undefined, history: unknown): { written: Written; code: number } | undefined;
  /** Keeps this run's output for its inputs (the caller keeps only plans that write nothing). */
  save(listed: string | undefined, history: unknown, written: Written, code: number): void;
}

/** Everything besides the files and Consul's answers that shapes a plan's output. */
export interface PlanInputs {
  args: readonly string[];
  tty: boolean;
  target: unknown;
  stateKey: string;
  options: unknown;
  home: unknown;
  /** The target version chosen, with its warnings and notices (plan --json prints them). */
  version: unknown;
}

/**
 * The memo of plans of `files` under `dir` (absolute) for target `target`; undefined when off:
 * CONSUL_GITOPS_PLAN_CACHE=0 or CONSUL_GITOPS_ENTRY_CACHE=0, not the built CLI, no owner ids, no
 * cache directory, or inputs that JSON cannot hold exactly.
 */
export function openPlanCache(
  dir: string,
  target: string,
  inputs: PlanInputs,
  files: readonly SourceFile[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): PlanCache | undefined {
  const uid = process.getuid?.();
  const cacheDir = codeCacheDir(env);
  const build = runningBuildHash();
  if (env.CONSUL_GITOPS_PLAN_CACHE === '0' || env.CONSUL_GITOPS_ENTRY_CACHE === '0' || !build || uid === undefined || cacheDir === undefined) return undefined;
  const settings = exactJson(inputs);
  if (settings === undefined) return undefined;
  const h = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(build).update(settings);
  // Each file's path and text with their lengths, so no two trees hash alike by moving a boundary.
  for (const f of files) h.update(`\0${f.path.length}:${f.path}\0${f.text.length}:`).update(f.text);
  const key = h.digest();
  const file = join(cacheDir, `noop-plans-${sha256(`${dir}\0${target}`).toString('hex').slice(0, 32)}.cache`);
  const stored = trustedDir(cacheDir, uid) ? storedOf(readTrusted(file, key, uid, MAGIC, MAX_FILE_BYTES)?.data) : undefined;
  return {
    candidate: stored !== undefined,
    replay(listed, history) {
      if (!stored) return undefined;
      const consul = consulDigest(listed, history);
      return consul !== undefined && consul === stored.consul ? { written: stored.written, code: stored.code } : undefined;
    },
    save(listed, history, written, code) {
      const consul = consulDigest(listed, history);
      if (consul === undefined || (stored && stored.consul === consul)) return;
      const data = Buffer.from(JSON.stringify({ consul, written, code } satisfies Stored), 'utf8');
      writeAtomically(cacheDir, file, [MAGIC, Buffer.from([1]), key, sha256(data), data], uid);
    },
  };
}

/**
 * Records what a command writes, passing it on. Recorded masked (the stream it passes to masks at
 * the edge, after this): the memo is a file on disk, and no secret the run knew goes into it.
 */
export function recordingIo(io: CliIo, secrets: Pick<KnownSecrets, 'mask'> = knownSecrets): { io: CliIo; written: Written } {
  const written: Written = [];
  const tee = (stream: CliIo['stdout'], n: 0 | 1): CliIo['stdout'] => ({
    write: (s: string) => {
      written.push([n, secrets.mask(s)]);
      return stream.write(s);
    },
    get isTTY() {
      return stream.isTTY;
    },
  });
  return { io: { ...io, stdout: tee(io.stdout, 0), stderr: tee(io.stderr, 1) }, written };
}

function storedOf(data: Buffer | undefined): Stored | undefined {
  if (!data) return undefined;
  try {
    const s = JSON.parse(data.toString('utf8')) as Stored;
    const ok =
      typeof s.consul === 'string' &&
      Number.isInteger(s.code) &&
      Array.isArray(s.written) &&
      s.written.every((w) => Array.isArray(w) && w.length === 2 && (w[0] === 0 || w[0] === 1) && typeof w[1] === 'string');
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Consul's side of the key: the digest of every list answer the entries were parsed from
 * (ConsulConfigEntryStore.listedDigest), and the last-apply record; undefined when either is unknown
 * or the record has a value JSON cannot hold exactly.
 */
function consulDigest(listed: string | undefined, history: unknown): string | undefined {
  if (listed === undefined) return undefined;
  const record = exactJson(history ?? null);
  return record === undefined ? undefined : sha256(listed, '\0', record).toString('base64');
}

/**
 * `value` as JSON, Maps and Sets kept as tagged arrays; undefined when it holds a value JSON would
 * change (a bigint, a function, NaN, -0): such inputs are never cached. An absent option is
 * `undefined` or missing alike, which JSON gives as missing.
 */
function exactJson(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return ['Map', [...v]];
    if (v instanceof Set) return ['Set', [...v]];
    if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol' || (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)))) {
      exact = false;
      return null;
    }
    return v;
  });
  return exact ? text : undefined;
}
