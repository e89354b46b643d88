// The files of one commit from the repository archive in ONE request: `GET /repos/{o}/{r}/tarball/{sha}`
// (GitHub redirects it to codeload), gunzipped and untarred as it streams, keeping in memory only the
// files asked for, and only when their content hashes to the blob SHA the tree listing gave: what
// `git archive` changes (`export-ignore`, `export-subst`, eol attributes in .gitattributes) or a
// hostile archive adds is never taken for the file. Decompressed bytes are bounded, so a gzip bomb
// or an unexpectedly large repository stops the download instead of the process.
// https://docs.github.com/en/rest/repos/contents#download-a-repository-archive-tar
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { Octokit } from 'octokit';
import { formatLimit } from '../../config/byte-size.ts';
import type { CommitRef } from '../../app/ports/github.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { utf8Text } from '../../formats/utf8.ts';

/** A file the caller wants, as the tree listing describes it. */
export interface WantedBlob {
  sha: string;
  size: number;
}

export type ArchiveRead = { ok: true; files: Map<string, string>; archiveBytes: number } | { ok: false; reason: string };

/** git's blob id: SHA-1 of `blob <size>\0<content>` (git hash-object). */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/**
 * Reads `wanted` (repository-relative path → blob) from the archive of the commit `ref.sha`. Files
 * the archive lacks or holds with other content are simply absent from the result, for the caller
 * to fetch one by one. `ok: false` when the archive could not be read at all (the reason says why).
 */
export async function readArchive(octokit: Octokit, ref: CommitRef, wanted: ReadonlyMap<string, WantedBlob>, maxBytes: number): Promise<ArchiveRead> {
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
        done(new ConsulGitopsError('response-too-large', `the repository archive is over the ${formatLimit(maxBytes)} limit once decompressed`));
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
  try {
    for await (const entry of tar) {
      const { name, type, size } = entry.header;
      // Every entry sits under one top directory (`owner-repo-sha7/`); the rest is the repository path.
      const path = name.slice(name.indexOf('/') + 1);
      const want = type === 'file' || type === 'contiguous-file' ? wanted.get(path) : undefined;
      if (!want || size !== want.size) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      // A file that is not UTF-8 is left to the blob request, which refuses it naming the file.
      const decoded = gitBlobSha(content) === want.sha ? utf8Text(content) : undefined;
      if (decoded?.ok) files.set(path, decoded.text);
    }
  } catch (e) {
    return { ok: false, reason: (failure ?? (e as Error)).message };
  } finally {
    decompressed.destroy();
  }
  if (failure) return { ok: false, reason: failure.message };
  return { ok: true, files, archiveBytes };
}
