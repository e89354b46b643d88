// A signed push through `serve` whose repository archive is crafted (whoever serves the tarball, or
// sits on the way to it, is hostile; the commit, tree listing and blobs are GitHub's): links to
// /etc/passwd and into the tree, `../`, a duplicate, another commit's top directory, a FIFO, a gzip
// bomb. Each archive is refused before anything is applied, the files are read as blobs, and Consul
// gets exactly what the commit says: the archive's own bytes never reach an entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { commitArchive, gzippedTar, startArchiveFront, type ArchiveEntry, type ArchiveFront } from '../support/archive-front.ts';
import { pushOf } from '../support/github-events.ts';
import { DEFAULT_BRANCH } from '../support/serverless-harness.ts';

const SVC0 = 'config-entries/svc-0.hcl';
const service = (i: number, protocol: string) => `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "${protocol}"\n`;
// What a hostile archive would put in svc-0: never what any commit of this test says.
const HOSTILE = Buffer.from(service(0, 'tcp'));

const swap = (path: string, by: (top: string) => ArchiveEntry) => (entries: ArchiveEntry[], top: string) =>
  entries.map((e) => (e.header.name === `${top}/${path}` ? by(top) : e));

const CASES: { name: string; craft: (entries: ArchiveEntry[], top: string) => ArchiveEntry[] }[] = [
  { name: 'symlink to /etc/passwd', craft: swap(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'symlink', linkname: '/etc/passwd' } })) },
  {
    name: 'hard link into the tree',
    craft: swap(SVC0, (top) => ({ header: { name: `${top}/${SVC0}`, type: 'link', linkname: `${top}/config-entries/svc-1.hcl` } })),
  },
  { name: '../ path', craft: (e, top) => [...e, { header: { name: `${top}/x/../${SVC0}`, type: 'file' }, content: HOSTILE }] },
  { name: 'duplicate path', craft: (e, top) => [...e, { header: { name: `${top}/${SVC0}`, type: 'file' }, content: HOSTILE }] },
  {
    name: "another commit's top directory",
    craft: (e, top) => e.map((x) => ({ ...x, header: { ...x.header, name: x.header.name.replace(top, `${top.slice(0, -7)}abcdef0`) } })),
  },
  { name: 'FIFO', craft: (e, top) => [...e, { header: { name: `${top}/config-entries/pipe`, type: 'fifo' } }] },
  { name: 'gzip bomb', craft: (e, top) => [...e, { header: { name: `${top}/bomb.bin`, type: 'file' }, content: Buffer.alloc(8 * 1024 * 1024) }] },
];

let h: ServeHarness;
let front: ArchiveFront;
const crafted = new Map<string, Buffer>();

beforeAll(async () => {
  h = await startServeHarness({ startServe: false });
  front = await startArchiveFront(h.github.url, (sha) => crafted.get(sha));
  await h.startServe({ env: { GITHUB_API_URL: front.url } });
});
afterAll(async () => {
  await h.close();
  await front.close();
});

async function protocolOf(name: string): Promise<string> {
  const res = await fetch(`${h.consul.url}/v1/config/service-defaults/${name}`);
  return ((await res.json()) as { Protocol: string }).Protocol;
}

describe('serve, a push whose repository archive is crafted', () => {
  const protocols = ['http', 'grpc', 'http2'];
  it.each(CASES.map((c, i) => ({ ...c, protocol: protocols[i % protocols.length] })))('$name: refused, the commit applied from its blobs', async (c) => {
    const files: Record<string, string> = { 'README.md': `# ${c.name}\n` };
    // A comment naming the case: every file is new to serve's blob cache, so the archive is asked for.
    for (let i = 0; i < 6; i++) files[`config-entries/svc-${i}.hcl`] = `# ${c.name}\n${service(i, c.protocol)}`;
    const sha = h.github.addCommit(files, c.name, { branch: DEFAULT_BRANCH });
    const top = `${h.github.owner}-${h.github.repo}-${sha.slice(0, 7)}`;
    crafted.set(sha, await gzippedTar(c.craft(commitArchive(top, h.github.filesAt(sha)), top)));
    const archives = front.crafted;
    const blobs = h.github.count('GET', /\/git\/blobs\//);

    expect(await h.deliver('push', pushOf(sha))).toBe(202);

    expect(front.crafted).toBe(archives + 1);
    expect(h.github.count('GET', /\/git\/blobs\//) - blobs).toBe(6);
    expect(h.github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'success']);
    for (let i = 0; i < 6; i++) expect(await protocolOf(`svc-${i}`)).toBe(c.protocol);
  });
});
