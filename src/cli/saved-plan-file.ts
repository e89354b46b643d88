// The saved plan's file on disk and the revision the files came from: the edge of `plan --out` and
// `apply FILE`. The file may hold entries with private keys (inline-certificate), so it is written
// readable by its owner only, like Terraform's plan files deserve.
import type { Stats } from 'node:fs';
import { lstat, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, basename, join, relative, resolve } from 'node:path';
import { parseConsulJson } from '../adapters/consul/json.ts';
import { baseUrlOf } from '../adapters/consul/options.ts';
import type { ConsulClient } from '../adapters/consul/client.ts';
import { runGit } from '../adapters/git/run-git.ts';
import { ConsulGitopsError } from '../errors.ts';
import { foreignWritable, readRegularFile } from '../adapters/files/regular-file.ts';
import {
  contentHashOf,
  openSavedPlan,
  savedPlanText,
  type PlanSource,
  type PlanTarget,
  type SavedPlan,
  type SavedPlanProblem,
} from '../core/plan/saved-plan.ts';

/** The longest saved plan read: under V8's longest string (about 512 MiB), far over a plan of 50,000 entries. */
const SAVED_PLAN_MAX_BYTES = 400 * 1024 * 1024;

export async function writeSavedPlan(path: string, plan: SavedPlan): Promise<void> {
  await refuseDestination(path);
  // Written whole then renamed: an interrupted write never leaves half a plan under the name.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  // The name is predictable: whatever is there (a stale file, a link planted in a shared folder) is
  // removed, and the file is created new (`wx`), so the private keys never go through a link nor
  // into a file that already had another mode.
  try {
    await rm(tmp, { force: true });
    await writeFile(tmp, savedPlanText(plan), { mode: 0o600, flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    // No copy of the plan (it may hold private keys) is left behind under the temporary name.
    await rm(tmp, { force: true }).catch(() => {});
    throw notSaved(path, (e as NodeJS.ErrnoException).code ?? String(e));
  }
}

const notSaved = (path: string, why: string) =>
  new ConsulGitopsError('usage', `cannot save the plan to ${path}: ${why}; --out names a new file or a plan file to replace`);

/**
 * Only a new file, a regular file or a link (replaced, never written through) gives way to the plan:
 * the rename would otherwise put it in place of a FIFO someone reads or a device (`--out /dev/null`
 * run as root replaced the device itself), and onto a directory it failed, naming the temporary file.
 */
export async function refuseDestination(path: string): Promise<void> {
  const there = await lstat(path).catch((e: NodeJS.ErrnoException) => e);
  if (there instanceof Error) {
    if (there.code !== 'ENOENT') throw notSaved(path, there.code ?? there.message);
    const folder = await stat(dirname(path)).catch(() => undefined);
    if (!folder) throw notSaved(path, `the folder ${dirname(path)} does not exist`);
    if (!folder.isDirectory()) throw notSaved(path, `${dirname(path)} is not a folder`);
    return;
  }
  if (!there.isFile() && !there.isSymbolicLink()) throw notSaved(path, `it is ${kindOf(there)}, not a file`);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export async function readSavedPlan(path: string, file: string): Promise<SavedPlan | SavedPlanProblem> {
  // A regular file only (a FIFO would block, /dev/zero never ends), and this user's alone: the
  // sha256 inside needs no key, so whoever else can write the file could change the plan and
  // recompute it. plan --out writes it 0600; a copy made readable (0644) is still applied.
  const read = readRegularFile(path, SAVED_PLAN_MAX_BYTES);
  if (!read.ok) return { kind: 'unreadable', file, message: `cannot read the plan: ${read.reason}` };
  const foreign = foreignWritable(read.info);
  if (foreign)
    return {
      kind: 'unreadable',
      file,
      message: `not applied: ${foreign}, so someone else could have changed the plan (its sha256 needs no key and would be recomputed); plan --out writes it for its owner only`,
    };
  const text = read.text;
  let value: unknown;
  try {
    value = parseConsulJson(text);
  } catch (e) {
    return { kind: 'format', file, message: `not JSON (${(e as Error).message}): not a saved plan, or it was cut or edited` };
  }
  return openSavedPlan(value, file);
}

/** The target as the plan records it: never the token, never userinfo in the address. */
export function planTargetOf(name: string, consul: ConsulClient): PlanTarget {
  const url = baseUrlOf(consul.options);
  url.username = '';
  url.password = '';
  const datacenter = consul.options.datacenter;
  return { name, address: url.href.replace(/\/$/, ''), ...(datacenter ? { datacenter } : {}) };
}

/** The files' content hash, and the commit, tree and commit time when `dir` is in a git checkout. */
export async function planSourceOf(dir: string, cwd: string, files: readonly { path: string; text: string }[]): Promise<PlanSource> {
  const source: PlanSource = { dir, contentHash: contentHashOf(files) };
  const abs = resolve(cwd, dir);
  const git = (args: string[]) => runGit(args, { cwd: abs }).catch(() => ({ code: 1, stdout: '', stderr: '' }));
  const top = await git(['rev-parse', '--show-toplevel']);
  if (top.code !== 0) return source;
  const rel = relative(top.stdout.trim(), abs).split('\\').join('/');
  const [commit, tree, time, status] = await Promise.all([
    git(['rev-parse', '--verify', 'HEAD']),
    git(['rev-parse', '--verify', `HEAD:${rel}`]),
    git(['log', '-1', '--format=%cI', 'HEAD']),
    git(['status', '--porcelain', '--untracked-files=all', '--', '.']),
  ]);
  if (commit.code !== 0) return source; // a repository without commits yet
  return {
    ...source,
    git: {
      commit: commit.stdout.trim(),
      tree: tree.code === 0 ? tree.stdout.trim() : '',
      commitTime: time.stdout.trim(),
      clean: status.code === 0 && status.stdout.trim() === '',
    },
  };
}
