// Reads config-entry files from a local checkout: files or directories, walked in a stable order,
// reading only regular files, never following a symbolic link below the paths the user named, and
// refusing files and trees over the size limits before reading them.
//
// Symbolic links are skipped rather than resolved: the GitHub source (what the Lambda applies)
// ignores them too, so `plan` in CI and the reconciler see the same tree, a link can never lead
// outside the tree (to a token file, /dev/zero, a FIFO) and no link can form a loop.
//
// The walk uses synchronous calls: a tree is thousands of files of a few hundred bytes, where one
// promise and one thread-pool round trip per call cost ten times the system calls themselves
// (bench/scale.bench.ts measures both). Every caller is a CLI command that waits for the tree anyway.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../../core/parse-files.ts';
import { formatOfPath } from '../../core/parse-files.ts';
import { DEFAULT_READ_LIMITS, formatByteSize, formatLimit, type ReadLimits } from '../../config/byte-size.ts';
import { notUtf8Message, utf8Text } from '../../formats/utf8.ts';

export interface LocalFilesResult {
  files: SourceFile[];
  /** Paths that could not be read (missing, unreadable, too large), with the reason. */
  unreadable: { path: string; message: string; line?: number; column?: number }[];
  /** Paths skipped on purpose (links, FIFOs, devices, other file types), with the reason. */
  notices: string[];
  /** Files inside a directory that are not config-entry files (README.md, …): listed, never opened. */
  ignored: string[];
}

interface Walk {
  result: LocalFilesResult;
  cwd: string;
  limits: ReadLimits;
  treeBytes: number;
  treeFull: boolean;
  /** Directories entered, by device and inode: a bind mount or a hard-linked directory cannot loop. */
  seenDirs: Set<string>;
  /** Where files that fit are read before becoming text: one buffer for the walk, not one per file. */
  scratch: Buffer;
}

/** Config-entry files are a few hundred bytes; larger ones get a buffer of their own. */
const SCRATCH_BYTES = 64 * 1024;

export async function readLocalFiles(paths: readonly string[], cwd = process.cwd(), limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<LocalFilesResult> {
  const walk: Walk = {
    result: { files: [], unreadable: [], notices: [], ignored: [] },
    cwd,
    limits,
    treeBytes: 0,
    treeFull: false,
    seenDirs: new Set(),
    scratch: Buffer.allocUnsafe(SCRATCH_BYTES),
  };
  for (const p of paths) {
    // A path the user named is taken as given (stat follows it); nothing below it is followed.
    const logical = resolve(cwd, p);
    let info: Stats;
    let real: string;
    try {
      real = realpathSync(logical);
      info = statSync(real);
    } catch (e) {
      walk.result.unreadable.push({ path: p, message: errnoMessage(e) });
      continue;
    }
    visit({ real, logical }, p, info, walk, true);
  }
  return walk.result;
}

/** Where a path is opened (`real`) and how it is shown (`logical`, as the user spelled the root). */
interface Location {
  real: string;
  logical: string;
}

function visit(at: Location, shown: string, info: Stats, walk: Walk, named: boolean): void {
  if (info.isDirectory()) {
    const id = `${info.dev}:${info.ino}`;
    if (walk.seenDirs.has(id)) {
      walk.result.notices.push(`skipped ${shown}/: the directory was already read (a loop in the tree)`);
      return;
    }
    walk.seenDirs.add(id);
    let dirents: Dirent[];
    try {
      dirents = readdirSync(at.real, { withFileTypes: true }).filter((d) => !d.name.startsWith('.'));
    } catch (e) {
      walk.result.unreadable.push({ path: shown, message: errnoMessage(e) });
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Paths are built once per directory and extended by string concatenation: a tree is mostly
    // files, and join + relative per file cost more CPU than reading the file (bench/read-parse.bench.ts).
    const realPrefix = at.real.endsWith(sep) ? at.real : at.real + sep;
    const shownPrefix = shownPrefixOf(relative(walk.cwd, at.logical));
    for (const d of dirents) {
      const childReal = realPrefix + d.name;
      // A regular file is judged by fstat once opened (readRegular), so the directory listing's
      // type (lstat's, never following a link) is enough to route it; anything else is lstat'ed.
      if (d.isFile()) {
        const childShown = shownPrefix === undefined ? shownOf(walk.cwd, at.logical, d.name) : shownPrefix + d.name;
        if (formatOfPath(childShown) === undefined) walk.result.ignored.push(childShown);
        else readRegular(childReal, childShown, walk);
        continue;
      }
      const child = { real: childReal, logical: join(at.logical, d.name) };
      const childShown = shownOf(walk.cwd, at.logical, d.name);
      let childInfo: Stats;
      try {
        childInfo = lstatSync(child.real);
      } catch (e) {
        walk.result.unreadable.push({ path: childShown, message: errnoMessage(e) });
        continue;
      }
      visit(child, childShown, childInfo, walk, false);
    }
    return;
  }
  if (info.isSymbolicLink()) {
    walk.result.notices.push(`skipped ${shown}: symbolic links are not followed (the GitHub source ignores them too)`);
    return;
  }
  if (!info.isFile()) {
    walk.result.notices.push(`skipped ${shown}: not a regular file (${fileType(info)})`);
    return;
  }
  // Inside a directory, only config-entry files are opened; a file named explicitly is read whatever its name.
  if (!named && formatOfPath(shown) === undefined) {
    walk.result.ignored.push(shown);
    return;
  }
  readRegular(at.real, shown, walk);
}

/**
 * What a file's shown path starts with, given its directory's path relative to the working
 * directory: `''` in the working directory itself, `dir/` below it. `undefined` when the directory is
 * outside it (`../x`, another drive), where `relative` (which shortens `../sub` back to nothing when
 * the path leads into the working directory) computes each child: rare, and not worth reasoning about.
 */
function shownPrefixOf(dirRelative: string): string | undefined {
  if (dirRelative === '') return '';
  if (dirRelative.startsWith('..') || isAbsolute(dirRelative)) return undefined;
  return dirRelative + sep;
}

/** A child's path as shown: relative to the working directory, or its bare name when that is empty. */
function shownOf(cwd: string, dirLogical: string, name: string): string {
  return relative(cwd, join(dirLogical, name)) || name;
}

function readRegular(abs: string, shown: string, walk: Walk): void {
  const { limits, result } = walk;
  if (walk.treeFull) return;
  // O_NOFOLLOW: a file swapped for a link since lstat is refused; O_NONBLOCK: one swapped for a FIFO
  // does not block the open. fstat then judges what was actually opened.
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') result.notices.push(`skipped ${shown}: symbolic links are not followed (the GitHub source ignores them too)`);
    else result.unreadable.push({ path: shown, message: errnoMessage(e) });
    return;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      result.notices.push(`skipped ${shown}: not a regular file (${fileType(info)})`);
      return;
    }
    if (info.size > limits.maxFileBytes) {
      result.unreadable.push({ path: shown, message: tooLarge(info.size, limits.maxFileBytes) });
      return;
    }
    if (walk.treeBytes + info.size > limits.maxTreeBytes) {
      walk.treeFull = true;
      result.unreadable.push({
        path: shown,
        message: `the files read so far and this one (${formatByteSize(info.size)}) exceed the ${formatLimit(limits.maxTreeBytes)} limit for the whole tree; the rest of the tree was not read (limits.maxTreeSize in consul-gitops.yaml)`,
      });
      return;
    }
    // Read at most one byte past the limit, so a file growing since fstat is still refused. Once
    // the size fstat announced is in, no read is spent on confirming the end of the file: one
    // system call in five per file.
    const want = Math.min(info.size, limits.maxFileBytes) + 1;
    const buffer = want <= walk.scratch.length ? walk.scratch : Buffer.allocUnsafe(want);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, want - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === want || length === info.size) break;
    }
    if (length > limits.maxFileBytes) {
      result.unreadable.push({ path: shown, message: tooLarge(length, limits.maxFileBytes) });
      return;
    }
    walk.treeBytes += length;
    const decoded = utf8Text(buffer.subarray(0, length));
    if (!decoded.ok) {
      result.unreadable.push({ path: shown, message: notUtf8Message(decoded), line: decoded.line, column: decoded.column });
      return;
    }
    result.files.push({ path: shown, text: decoded.text });
  } catch (e) {
    result.unreadable.push({ path: shown, message: errnoMessage(e) });
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, limit: number): string {
  return `the file is ${formatByteSize(size)}, over the ${formatLimit(limit)} limit per file (--max-file-size, or limits.maxFileSize in consul-gitops.yaml)`;
}

function fileType(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a file or directory';
}

/** The reason only: an errno code's meaning, never the raw Error (whose message repeats the absolute path). */
function errnoMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ? `cannot read (${code})` : `cannot read (${String(e)})`;
  }
}
