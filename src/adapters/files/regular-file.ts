// One file a user names on the command line or in configuration (a saved plan, consul-gitops.yaml,
// the dev server's --data file), read only when it is a regular file and within a size limit. The
// open never blocks (O_NONBLOCK: a FIFO would wait for a writer forever) and fstat judges what was
// opened, so a FIFO, a device (/dev/zero never ends) or a directory is refused with its type
// instead of hanging the command or filling memory. A symbolic link the user named is followed:
// naming a file through a link is theirs to do.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { formatByteSize, formatLimit } from '../../config/byte-size.ts';
import { ConsulGitopsError } from '../../errors.ts';

export type RegularFileRead = { ok: true; text: string; info: Stats } | { ok: false; code?: string; reason: string };

export function readRegularFile(path: string, maxBytes: number): RegularFileRead {
  let fd: number;
  try {
    // O_NONBLOCK is 0 on Windows, which has no FIFOs in the file system.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, ...(code ? { code } : {}), reason: code ?? 'cannot be opened' };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, code: 'ENOTREG', reason: `not a regular file (${typeOf(info)})` };
    if (info.size > maxBytes) return { ok: false, code: 'EFBIG', reason: `the file is ${formatByteSize(info.size)}, over the ${formatLimit(maxBytes)} limit` };
    // One byte past the limit at most, so a file that grew since fstat is still refused.
    const buffer = Buffer.allocUnsafe(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0 || (length += read) === buffer.length) break;
    }
    if (length > maxBytes) return { ok: false, code: 'EFBIG', reason: `the file grew past the ${formatLimit(maxBytes)} limit while it was read` };
    return { ok: true, text: buffer.toString('utf8', 0, length), info };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, ...(code ? { code } : {}), reason: code ?? 'cannot be read' };
  } finally {
    closeSync(fd);
  }
}

/** readRegularFile for a caller that throws: the text, or a FileRefusedError carrying the reason. */
export function readRegularText(path: string, maxBytes: number): string {
  const read = readRegularFile(path, maxBytes);
  if (read.ok) return read.text;
  throw new FileRefusedError(read.reason);
}

export class FileRefusedError extends ConsulGitopsError {
  constructor(readonly reason: string) {
    super('config', reason);
  }
}

/** What a catch of a file read says after the file's name: the refusal's reason, or the system error's code. */
export function whyUnreadable(e: unknown): string {
  return e instanceof FileRefusedError ? e.reason : ((e as NodeJS.ErrnoException).code ?? 'unreadable');
}

/**
 * Why a file that decides what is applied may not be trusted as its owner wrote it: owned by another
 * user, or writable by group or others (who could then change it). Undefined when it is this user's
 * alone, and on Windows, whose permissions are not mode bits.
 */
export function foreignWritable(info: Stats): string | undefined {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  if (info.uid !== uid) return `it belongs to user ${info.uid}, not to this user (${uid})`;
  if (info.mode & 0o022)
    return `it is writable by ${info.mode & 0o020 ? 'its group' : ''}${(info.mode & 0o022) === 0o022 ? ' and ' : ''}${info.mode & 0o002 ? 'every user' : ''} (mode ${(info.mode & 0o777).toString(8)})`;
  return undefined;
}

function typeOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a file';
}
