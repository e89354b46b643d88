// A loopback relay in front of the GitHub double that answers the repository archive
// (`GET /repos/{o}/{r}/tarball/{sha}`) with bytes a test crafts, and forwards every other request
// unchanged: the commit, its tree listing and its blobs stay the double's, as when whoever serves
// the archive (or sits on the way to it) is hostile or broken and the git objects are not. The
// bytes are made with `commitArchive` (a commit's archive as GitHub writes it, for the test to
// alter) and `gzippedTar`.
import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

export interface ArchiveFront {
  url: string;
  /** Archive requests answered with crafted bytes. */
  crafted: number;
  close(): Promise<void>;
}

/** `craft(sha)`: the gzipped archive to answer for commit `sha`, or undefined to let the double answer. */
export async function startArchiveFront(target: string, craft: (sha: string) => Buffer | undefined): Promise<ArchiveFront> {
  const front = { crafted: 0 } as ArchiveFront;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const sha = /^\/repos\/[^/]+\/[^/]+\/tarball\/([0-9a-f]{40})$/.exec((req.url ?? '').split('?')[0])?.[1];
    const body = req.method === 'GET' && sha ? craft(sha) : undefined;
    if (body) {
      front.crafted++;
      res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': body.length });
      res.end(body);
      req.resume();
      return;
    }
    const out = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.unref();
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const sock of sockets) sock.destroy();
    });
  return front;
}

export interface ArchiveEntry {
  header: Partial<Header> & { name: string };
  content?: Buffer;
}

/** The archive as GitHub's `git archive --prefix=owner-repo-sha7/` writes it for `files`. */
export function commitArchive(top: string, files: Record<string, string>): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [{ header: { name: `${top}/`, type: 'directory', mode: 0o775 } }];
  const dirs = new Set<string>();
  for (const path of Object.keys(files).sort()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) entries.push({ header: { name: `${top}/${dir}/`, type: 'directory', mode: 0o775 } });
      dirs.add(dir);
    }
    entries.push({ header: { name: `${top}/${path}`, type: 'file', mode: 0o664 }, content: Buffer.from(files[path]) });
  }
  return entries;
}

/** The entries as one tar.gz. */
export async function gzippedTar(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of tar) chunks.push(c as Buffer);
  })();
  for (const e of entries) tar.entry({ ...e.header, mtime: e.header.mtime ?? new Date(0) }, e.content ?? Buffer.alloc(0));
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
