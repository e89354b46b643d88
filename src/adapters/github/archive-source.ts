// The files of one commit from the repository archive in ONE request: `GET /repos/{o}/{r}/tarball/{sha}`
// (GitHub redirects it to codeload), gunzipped and untarred as it streams, keeping in memory only the
// files asked for, and only when their content hashes to the blob SHA the tree listing gave: what
// `git archive` changes (`export-ignore`, `export-subst`, eol attributes in .gitattributes) or a
// hostile archive adds is never taken for the file. An archive `git archive` of the commit cannot
// be (links, devices, `..`, duplicates, another top directory: ArchiveCheck) is refused whole with
// the entry named. Decompressed bytes are bounded, so a gzip bomb or an unexpectedly large
// repository stops the download instead of the process.
// https://docs.github.com/en/rest/repos/contents#download-a-repository-archive-tar
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { Octokit } from 'octokit';
import { formatByteSize, formatLimit } from '../../config/byte-size.ts';
import type { CommitRef } from '../../app/ports/github.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { utf8Text } from '../../formats/utf8.ts';
import { escapeControl } from '../../model/terminal-text.ts';

/** A file the caller wants, as the tree listing describes it. */
export interface WantedBlob {
  sha: string;
  size: number;
}

export type ArchiveRead =
  | {
      ok: true;
      files: Map<string, string>;
      archiveBytes: number;
      /**
       * Wanted files the archive holds with other bytes than the commit's blob, each with why: a
       * `.gitattributes` rule `git archive` applies (eol, export-subst) or a hostile archive. Read as blobs.
       */
      skipped: string[];
    }
  | { ok: false; reason: string };

/** git's blob id: SHA-1 of `blob <size>\0<content>` (git hash-object). */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/**
 * Reads `wanted` (repository-relative path → blob) from the archive of the commit `ref.sha`. Files
 * the archive lacks or holds with other content are simply absent from the result, for the caller
 * to fetch one by one. `ok: false` when the archive could not be read at all (the reason says why).
 */
export async function readArchive(
  octokit: Octokit,
  ref: CommitRef,
  wanted: ReadonlyMap<string, WantedBlob>,
  maxBytes: number,
  /** Why the bound is what it is, for the message when an archive passes it. */
  limitNote = '',
): Promise<ArchiveRead> {
  let body: WebReadableStream<Uint8Array> | null;
  try {
    const response = await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
      owner: ref.owner,
      repo: ref.repo,
      ref: ref.sha,
      // The body as a stream, not a buffered ArrayBuffer: the archive is never held whole.
      request: { parseSuccessResponseBody: false },
    });
    body = response.data as WebReadableStream<Uint8Array> | null;
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (!body) return { ok: false, reason: 'the archive response has no body' };

  let archiveBytes = 0;
  let failure: Error | undefined;
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      archiveBytes += chunk.length;
      if (archiveBytes > maxBytes)
        done(new ConsulGitopsError('response-too-large', `the repository archive is over the ${formatLimit(maxBytes)} limit once decompressed${limitNote}`));
      else done(null, chunk);
    },
  });
  const tar = extract();
  const decompressed = pipeline(Readable.fromWeb(body), createGunzip(), bounded, (error) => {
    if (error) {
      failure ??= error;
      tar.destroy(error);
    }
  });
  decompressed.pipe(tar);

  const files = new Map<string, string>();
  const check = new ArchiveCheck(ref.sha, wanted);
  const skipped: string[] = [];
  try {
    for await (const entry of tar) {
      const { type, size } = entry.header;
      const path = check.pathOf(entry.header);
      if (typeof path !== 'string') return { ok: false, reason: path.refused };
      const want = type === 'file' || type === 'contiguous-file' ? wanted.get(path) : undefined;
      if (!want || size !== want.size) {
        if (want) skipped.push(`${escapeControl(path)}: ${formatByteSize(size)} in the archive, ${formatByteSize(want.size)} in the commit's tree`);
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      // A file that is not UTF-8 is left to the blob request, which refuses it naming the file.
      const decoded = gitBlobSha(content) === want.sha ? utf8Text(content) : undefined;
      if (decoded?.ok) files.set(path, decoded.text);
      else if (!decoded) skipped.push(`${escapeControl(path)}: its content in the archive is not blob ${want.sha.slice(0, 12)}`);
    }
  } catch (e) {
    return { ok: false, reason: (failure ?? (e as Error)).message };
  } finally {
    decompressed.destroy();
  }
  if (failure) return { ok: false, reason: failure.message };
  return { ok: true, files, archiveBytes, skipped };
}

/** A tar entry's header, as tar-stream gives it. */
interface EntryHeader {
  name: string;
  type: string | null;
  linkname?: string | null;
}

/** The commit's abbreviation GitHub ends the top directory with (`owner-repo-1a2b3c4`): 7 hex digits or more. */
const TOP_SHA = /-([0-9a-f]{7,40})$/;

/**
 * What `git archive` of one commit can hold, and nothing else: one top directory named after the
 * commit, then directories, regular files and symbolic links (a symlink the tree has), each path
 * once, none with a NUL (git cannot store one) nor `.`, `..` or an empty segment. Anything else (a
 * hard link, a device or FIFO, an absolute path, a path leaving the top directory, a duplicate, a
 * link where the tree has a file, another commit's top directory) means the archive is not the
 * commit's `git archive`: it is refused whole, naming the entry, and the caller reads the blobs.
 * Nothing is ever written to disk and no link is followed; this is about trusting the archive at all.
 */
class ArchiveCheck {
  private top: string | undefined;
  private readonly seen = new Set<string>();

  constructor(
    private readonly sha: string,
    private readonly wanted: ReadonlyMap<string, WantedBlob>,
  ) {}

  /** The entry's repository path, or why the archive is refused. */
  pathOf(header: EntryHeader): string | { refused: string } {
    const { name, type } = header;
    const shown = escapeControl(JSON.stringify(name));
    const refuse = (why: string) => ({ refused: `the repository archive is refused: entry ${shown} ${why}` });
    if (name.includes('\0')) return refuse('has a NUL in its name, which git cannot store');
    if (name.startsWith('/')) return refuse('is an absolute path');
    const slash = name.indexOf('/');
    const first = slash < 0 ? name : name.slice(0, slash);
    if (this.top === undefined) {
      const abbrev = TOP_SHA.exec(first)?.[1];
      if (!abbrev || !this.sha.toLowerCase().startsWith(abbrev))
        return refuse(`is not under a top directory named after commit ${this.sha.slice(0, 12)} (GitHub names it owner-repo-${this.sha.slice(0, 7)})`);
      this.top = first;
    } else if (first !== this.top) return refuse(`is outside the archive's top directory ${escapeControl(JSON.stringify(this.top))}`);
    const path = slash < 0 ? '' : name.slice(slash + 1).replace(/\/$/, type === 'directory' ? '' : '/');
    if (path === '') return type === 'directory' ? path : refuse('is the top directory but not a directory');
    if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return refuse('has an empty, `.` or `..` segment');
    if (this.seen.has(path)) return refuse('appears twice');
    this.seen.add(path);
    switch (type) {
      case 'file':
      case 'contiguous-file':
      case 'directory':
        return path;
      case 'symlink':
        // git archive writes a symlink the tree holds; never one where the tree has a wanted file.
        return this.wanted.has(path)
          ? refuse(`is a symbolic link (to ${escapeControl(JSON.stringify(header.linkname ?? ''))}) where the commit's tree has a file`)
          : path;
      case 'link':
        return refuse(`is a hard link (to ${escapeControl(JSON.stringify(header.linkname ?? ''))}), which git archive never writes`);
      default:
        return refuse(`is a ${type ?? 'entry of unknown type'}, which git archive never writes`);
    }
  }
}
