// The README's Layout section matches the tree: every path it names exists, every top-level
// directory of src/ and functions/ is named, and the npm scripts it names are in package.json. A
// newcomer reads the Layout first; a moved or removed directory it still names sends them nowhere.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The README's Layout code block, one entry a line: a path in the first column, its description after (continued on indented lines). */
interface LayoutEntry {
  /** The path in the first column, as written (`src/model/`, `scripts/lambda-*.mjs`). */
  path: string;
  /** The description, continuation lines included. */
  text: string;
}

function layoutEntries(readme: string): LayoutEntry[] {
  const section = /^## Layout\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const block = section && /```\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no "## Layout" section with a code block');
  const entries: LayoutEntry[] = [];
  for (const line of block.split('\n')) {
    if (line.trim() === '') continue;
    const head = /^(\S+)\s*(.*)$/.exec(line);
    if (head) entries.push({ path: head[1], text: head[2] });
    else if (entries.length > 0) entries.at(-1)!.text += ` ${line.trim()}`;
  }
  return entries;
}

const entries = layoutEntries(readFileSync('README.md', 'utf8'));

/** Directories the Layout names as built, not kept in Git: it says "(not in Git)". */
const built = (e: LayoutEntry) => /\(not in Git\)/.test(e.text);

/** Whether `path` (a `*` matches within one name) names something in the tree. */
function exists(path: string): boolean {
  const clean = path.replace(/\/$/, '');
  if (!clean.includes('*')) return existsSync(clean) && (!path.endsWith('/') || statSync(clean).isDirectory());
  const dir = dirname(clean);
  const pattern = new RegExp(`^${posix.basename(clean).split('*').map(escape).join('[^/]*')}$`);
  return existsSync(dir) && readdirSync(dir).some((name) => pattern.test(name));
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** File and directory names in a description: `entry.ts`, `constructs/lambda-bundling.ts`, `advisor/`, `test/fixtures`. */
function namedInText(text: string): string[] {
  const names = text.match(/(?<![\w./-])[\w-]+(?:\/[\w.*-]+)*(?:\.(?:ts|mjs|js|json|md)\b|\/(?![\w-]))/g) ?? [];
  return names.filter((n) => !n.startsWith('dist/'));
}

/**
 * Where a name in an entry's description may live: beside the entry, under its parent, from the root
 * (`test/fixtures`), or under a directory the description named before it (`support/ … github-double.ts`).
 */
function resolvesFrom(entry: LayoutEntry, name: string, before: string[]): boolean {
  const base = entry.path.endsWith('/') ? entry.path : dirname(entry.path) + '/';
  const parent = dirname(base.replace(/\/$/, ''));
  const dirs = before.filter((n) => n.endsWith('/')).flatMap((d) => [base + d, d]);
  return [base + name, (parent === '.' ? '' : parent + '/') + name, name, ...dirs.map((d) => d + name)].some(exists);
}

const topLevelDirs = (root: string) =>
  readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .map((name) => `${root}/${name}/`);

describe("README's Layout", () => {
  it('names paths in its first column that exist (dist/ is built, not in Git)', () => {
    expect(entries.length).toBeGreaterThan(10);
    const missing = entries.filter((e) => !built(e) && !exists(e.path)).map((e) => e.path);
    expect(missing).toEqual([]);
  });

  it('names files and directories in its descriptions that exist where the entry says', () => {
    const missing = entries.flatMap((e) => {
      const names = namedInText(e.text);
      return names.filter((name, i) => !resolvesFrom(e, name, names.slice(0, i))).map((name) => `${e.path}: ${name}`);
    });
    expect(missing).toEqual([]);
  });

  it('names every top-level directory of src/', () => {
    const named = new Set(entries.map((e) => e.path));
    expect(topLevelDirs('src').filter((dir) => !named.has(dir))).toEqual([]);
  });

  it('names every Lambda function under functions/', () => {
    const line = entries.find((e) => e.path === 'functions/');
    expect(line, 'a functions/ entry').toBeDefined();
    const words = new Set(line!.text.split(/[^\w-]+/));
    expect(topLevelDirs('functions').filter((dir) => !words.has(dir.split('/')[1]))).toEqual([]);
  });

  it('names only npm scripts package.json has', () => {
    const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
    const named = entries.flatMap((e) => [...e.text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });
});
