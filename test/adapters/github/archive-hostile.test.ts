// GitHubTreeSource against crafted repository archives (whoever serves the tarball, or sits on the
// way to it, is hostile; the commit, its tree listing and its blobs are GitHub's). Every anomaly
// `git archive` of the commit cannot produce refuses the whole archive, naming the entry, and the
// files are read as blobs; a wanted file with other bytes than its blob is read as a blob, named.
// Whatever the archive holds, the files read are the commit's, byte for byte.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../../src/adapters/github/contents-source.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { commitArchive, gzippedTar, startArchiveFront, type ArchiveEntry, type ArchiveFront } from '../../support/archive-front.ts';
import { createGitHubClient } from '../../../src/adapters/github/octokit.ts';
import { clientFor, TOKEN } from './client.ts';

const service = (i: number) => `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "http"\n`;
const HOSTILE = Buffer.from('Kind = "service-defaults"\nName = "svc-0"\nProtocol = "tcp"\n');
const FILES: Record<string, string> = { 'README.md': '# mesh\n' };
for (let i = 0; i < 6; i++) FILES[`config-entries/svc-${i}.hcl`] = service(i);
const SVC0 = 'config-entries/svc-0.hcl';

interface Case {
  name: string;
  craft: (entries: ArchiveEntry[], top: string) => ArchiveEntry[];
  /** The whole archive refused, for this reason. */
  refused?: RegExp;
  /** Read from the archive except these files, each named with why. */
  filesSkipped?: RegExp;
}

const at = (entries: ArchiveEntry[], top: string, path: string) => entries.findIndex((e) => e.header.name === `${top}/${path}`);
const replacing = (path: string, by: (top: string) => ArchiveEntry) => (entries: ArchiveEntry[], top: string) =>
  entries.map((e, i) => (i === at(entries, top, path) ? by(top) : e));
const adding = (by: (top: string) => ArchiveEntry) => (entries: ArchiveEntry[], top: string) => [...entries.slice(0, 2), by(top), ...entries.slice(2)];

const CASES: Case[] = [
  {
    name: 'a symbolic link to /etc/passwd where the tree has the file',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'symlink', linkname: '/etc/passwd' } })),
    refused: /entry ".*config-entries\/svc-0\.hcl" is a symbolic link \(to "\/etc\/passwd"\) where the commit's tree has a file/,
  },
  {
    name: 'a symbolic link to another file of the tree',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'symlink', linkname: 'svc-1.hcl' } })),
    refused: /is a symbolic link \(to "svc-1\.hcl"\) where the commit's tree has a file/,
  },
  {
    name: 'a symbolic link to a directory',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'symlink', linkname: '/etc' } })),
    refused: /is a symbolic link \(to "\/etc"\) where the commit's tree has a file/,
  },
  {
    name: 'a hard link to /etc/passwd',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'link', linkname: '/etc/passwd' } })),
    refused: /entry ".*config-entries\/svc-0\.hcl" is a hard link \(to "\/etc\/passwd"\), which git archive never writes/,
  },
  {
    name: 'a hard link to another file of the tree',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'link', linkname: `${top}/config-entries/svc-1.hcl` } })),
    refused: /is a hard link \(to ".*config-entries\/svc-1\.hcl"\)/,
  },
  {
    name: 'a path climbing out with ../',
    craft: adding((top) => ({ header: { name: `${top}/config-entries/../../${SVC0}`, type: 'file' }, content: HOSTILE })),
    refused: /entry ".*config-entries\/\.\.\/\.\.\/config-entries\/svc-0\.hcl" has an empty, `\.` or `\.\.` segment/,
  },
  {
    name: 'an absolute path',
    craft: adding(() => ({ header: { name: `/${SVC0}`, type: 'file' }, content: HOSTILE })),
    refused: /entry "\/config-entries\/svc-0\.hcl" is an absolute path/,
  },
  {
    name: 'a path twice, the second with other content',
    craft: (entries, top) => [...entries, { header: { name: `${top}/${SVC0}`, type: 'file' }, content: HOSTILE }],
    refused: /entry ".*config-entries\/svc-0\.hcl" appears twice/,
  },
  {
    name: 'a pax header overriding the path to leave the tree',
    craft: adding((top) => ({ header: { name: `${top}/notes.txt`, type: 'file', pax: { path: `${top}/../../etc/passwd` } }, content: HOSTILE })),
    refused: /entry ".*\/\.\.\/\.\.\/etc\/passwd" has an empty, `\.` or `\.\.` segment/,
  },
  {
    name: 'a pax path holding a NUL',
    craft: adding((top) => ({ header: { name: `${top}/notes.txt`, type: 'file', pax: { path: `${top}/${SVC0}\u0000.txt` } }, content: HOSTILE })),
    refused: /has a NUL in its name, which git cannot store/,
  },
  {
    name: 'a FIFO whose name holds terminal controls',
    craft: adding((top) => ({ header: { name: `${top}/\u001b[2Jpipe`, type: 'fifo' } })),
    refused: /entry ".*\\u001b\[2Jpipe" is a fifo, which git archive never writes/,
  },
  {
    name: 'a character device',
    craft: adding((top) => ({ header: { name: `${top}/config-entries/tty`, type: 'character-device', devmajor: 5, devminor: 0 } })),
    refused: /is a character-device, which git archive never writes/,
  },
  {
    name: "another commit's top directory",
    craft: (entries, top) => entries.map((e) => ({ ...e, header: { ...e.header, name: e.header.name.replace(top, `${top.slice(0, -7)}0000000`) } })),
    refused: /is not under a top directory named after commit [0-9a-f]{12} \(GitHub names it owner-repo-[0-9a-f]{7}\)/,
  },
  {
    name: 'entries outside the top directory',
    craft: (entries) => [...entries, { header: { name: `elsewhere/${SVC0}`, type: 'file' }, content: HOSTILE }],
    refused: /entry "elsewhere\/config-entries\/svc-0\.hcl" is outside the archive's top directory/,
  },
  {
    name: 'a gzip bomb (8 MiB of zeros in a file nobody wants)',
    craft: adding((top) => ({ header: { name: `${top}/bomb.bin`, type: 'file' }, content: Buffer.alloc(8 * 1024 * 1024) })),
    refused: /over the .* limit once decompressed, twice what the tree listing sizes the repository at/,
  },
  {
    name: 'a wanted file over the 1 MiB limit per file',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'file' }, content: Buffer.alloc(2 * 1024 * 1024, 'x') })),
    refused: /over the .* limit once decompressed, twice what the tree listing sizes the repository at/,
  },
  {
    name: 'a wanted file of another size than its blob',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'file' }, content: Buffer.concat([HOSTILE, Buffer.alloc(1000, '#')]) })),
    filesSkipped: /^config-entries\/svc-0\.hcl: 1\.0 KiB \(\d+ bytes\) in the archive, \d+ bytes in the commit's tree$/,
  },
  {
    name: 'a wanted file with other content of the same size',
    craft: replacing(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'file' }, content: Buffer.from(service(0).replace('http', 'tcp\n')) })),
    filesSkipped: /^config-entries\/svc-0\.hcl: its content in the archive is not blob [0-9a-f]{12}$/,
  },
];

let double: GitHubDouble;
let front: ArchiveFront | undefined;
afterEach(async () => {
  await front?.close();
  await double?.close();
});

describe('GitHubTreeSource with a crafted repository archive', () => {
  it.each(CASES)('$name', async (c) => {
    double = await startGitHubDouble({ token: TOKEN });
    const sha = double.addCommit(FILES);
    const top = `${double.owner}-${double.repo}-${sha.slice(0, 7)}`;
    expect(double.filesAt(sha)[SVC0]).toBe(service(0));
    const crafted = await gzippedTar(c.craft(commitArchive(top, double.filesAt(sha)), top));
    front = await startArchiveFront(double.url, (s) => (s === sha ? crafted : undefined));
    const source = new GitHubTreeSource(await createGitHubClient({ auth: { token: TOKEN }, baseUrl: front.url, throttle: false, retries: 0 }));

    const state = await source.read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');

    expect(front.crafted).toBe(1);
    // The commit's files, whatever the archive said.
    const blobs = await new GitHubTreeSource(await clientFor(double), { archiveAbove: Infinity }).read(
      { owner: double.owner, repo: double.repo, sha },
      'config-entries',
    );
    expect(state).toEqual(blobs);
    expect(state.files.find((f) => f.path === SVC0)!.text).toBe(service(0));
    if (c.refused) {
      expect(source.lastRead.archiveSkipped).toMatch(c.refused);
      expect(source.lastRead.fromArchive).toBe(0);
      expect(source.lastRead.blobRequests).toBe(6);
    } else {
      expect(source.lastRead.archiveSkipped).toBeUndefined();
      expect(source.lastRead.archiveFilesSkipped).toHaveLength(1);
      expect(source.lastRead.archiveFilesSkipped![0]).toMatch(c.filesSkipped!);
      expect(source.lastRead).toMatchObject({ fromArchive: 5, blobRequests: 1 });
    }
    // eslint-disable-next-line no-control-regex -- what is looked for
    expect(JSON.stringify(source.lastRead)).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it("takes an archive as git archive writes it: a long path's pax header, a symlink the tree has", async () => {
    double = await startGitHubDouble({ token: TOKEN });
    const long = `config-entries/${'deep/'.repeat(30)}svc-9.hcl`;
    const sha = double.addCommit({ ...FILES, [long]: service(9) });
    const top = `${double.owner}-${double.repo}-${sha.slice(0, 7)}`;
    const entries = [...commitArchive(top, double.filesAt(sha)), { header: { name: `${top}/latest`, type: 'symlink' as const, linkname: 'config-entries' } }];
    const crafted = await gzippedTar(entries);
    front = await startArchiveFront(double.url, (s) => (s === sha ? crafted : undefined));
    const source = new GitHubTreeSource(await createGitHubClient({ auth: { token: TOKEN }, baseUrl: front.url, throttle: false, retries: 0 }));

    const state = await source.read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');

    expect(source.lastRead).toEqual({ cached: 0, fromArchive: 7, blobRequests: 0 });
    expect(state.files.map((f) => f.path)).toContain(long);
  });
});
