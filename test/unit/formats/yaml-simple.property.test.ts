// The fast YAML reader answers exactly what the `yaml` library path answers, or declines: over
// generated documents (plain and tricky: keywords, numbers, quotes, comments, compact and indented
// sequences, several documents, bad indentation) and over every YAML file in the repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSimpleYaml } from '../../../src/formats/yaml-simple.ts';
import { parseYaml, parseYamlDocuments } from '../../../src/formats/yaml.ts';

type Tree = { map: [string, Tree][] } | { seq: Tree[] } | { scalar: string };

const PLAIN_KEYS = ['Kind', 'Name', 'Protocol', 'Meta', 'a.b/c', 'x-y', '_k', 'on', 'yes', 'Routes', 'Match', 'HTTP'];
const TRICKY_KEYS = ['true', 'True', 'null', 'NULL', 'key with space', '"Quoted"', '? k', '9'];
const PLAIN_SCALARS = [
  'web',
  'service-defaults',
  'http',
  '/v2',
  'http://x:8080/y',
  'allow web to api',
  'a,b',
  'v1.2',
  '$HOME',
  'user@example',
  'f(x)=y',
  'x50%',
  '0',
  '-0',
  '7',
  '-12',
  '9223372036854775807',
  '-9223372036854775808',
  'true',
  'False',
  'TRUE',
  'yes',
  'no',
  'on',
  'null',
  'Null',
  '"quoted"',
  '"a: b # c"',
  '""',
  '"*"',
  "'single'",
  "''",
  '" padded "',
];
const TRICKY_SCALARS = [
  '007',
  '+5',
  '9223372036854775808',
  '-9223372036854775809',
  '1.5',
  '1e3',
  '.inf',
  '.nan',
  '0x1F',
  '0o17',
  '~',
  '',
  "'it''s'",
  '"esc\\"aped"',
  '"tab\\there"',
  '*alias',
  '&anchor web',
  '!!str 5',
  '[a, b]',
  '{}',
  '[]',
  '{a: b}',
  '|',
  '>',
  'a: b',
  'a #comment',
  'trailing:',
  '- x',
  '@at',
  '`tick`',
  'ünïcode',
  'a  b',
  'x~',
];
const KEYS = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...PLAIN_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...TRICKY_KEYS) });
const SCALARS = fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...PLAIN_SCALARS) }, { weight: 1, arbitrary: fc.constantFrom(...TRICKY_SCALARS) });

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree; map: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    SCALARS.map((scalar) => ({ scalar })),
    tie('map'),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
  ),
  // Keys unique, except now and then a repeated first key (YAML forbids it: the library reports it).
  map: fc
    .tuple(fc.uniqueArray(fc.tuple(KEYS, tie('node')), { minLength: 1, maxLength: 4, selector: ([k]) => k }), fc.integer({ min: 0, max: 19 }))
    .map(([map, n]) => ({ map: n === 0 ? [...map, map[0]] : map })),
})).map;

interface Style {
  indent: number;
  compactSeq: boolean;
  comments: boolean;
  trailingSpaces: boolean;
}

/** Lines of `t` with its keys (or dashes) at column `col`. */
function render(t: Tree, col: number, s: Style): string[] {
  const pad = ' '.repeat(col);
  if ('scalar' in t) return [`${pad}${t.scalar}`];
  if ('seq' in t) return renderSeq(t.seq, col, s);
  const lines: string[] = [];
  for (const [k, v] of t.map) {
    if (s.comments) lines.push(`${pad}# about ${k}`);
    if ('scalar' in v) lines.push(`${pad}${k}: ${v.scalar}${s.trailingSpaces ? '  ' : ''}`);
    else if ('seq' in v) lines.push(`${pad}${k}:`, ...renderSeq(v.seq, s.compactSeq ? col : col + s.indent, s));
    else lines.push(`${pad}${k}:`, ...render(v, col + s.indent, s));
  }
  return lines;
}

function renderSeq(items: Tree[], col: number, s: Style): string[] {
  const pad = ' '.repeat(col);
  const lines: string[] = [];
  for (const item of items) {
    if ('scalar' in item) lines.push(`${pad}- ${item.scalar}`);
    else if ('map' in item) {
      // `- Key: value` with the rest of the map under the first key, as Kubernetes files are written.
      const inner = render(item, col + 2, s);
      const first = inner.findIndex((l) => !l.trimStart().startsWith('#'));
      lines.push(...inner.slice(0, first), `${pad}- ${inner[first].trimStart()}`, ...inner.slice(first + 1));
    } else lines.push(`${pad}-`, ...renderSeq(item.seq, col + s.indent, s));
  }
  return lines;
}

const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(2, 2, 4),
  compactSeq: fc.boolean(),
  comments: fc.boolean(),
  trailingSpaces: fc.boolean(),
});

const document = fc
  .tuple(
    fc.array(fc.tuple(tree, style), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  )
  .map(([docs, leadingMarker, tab]) => {
    const text = docs.map(([t, s]) => render(t, 0, s).join('\n')).join('\n---\n');
    return `${leadingMarker ? '---\n' : ''}${tab ? text.replace('  ', '\t') : text}\n`;
  });

describe('the fast YAML reader', () => {
  it('answers what the library path answers, whenever it answers', () => {
    let fast = 0;
    let total = 0;
    fc.assert(
      fc.property(document, (text) => {
        total++;
        const simple = parseSimpleYaml(text);
        if (simple === undefined) return;
        fast++;
        expect(simple).toEqual(parseYamlDocuments(text));
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of generated documents is plain enough for the fast reader.
    expect(fast / total).toBeGreaterThan(0.05);
  });

  it('reads plain Kubernetes CRDs and entries (positions included) exactly as the library does', () => {
    const texts = [
      'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceIntentions\nmetadata:\n  name: web\n  labels:\n    app.kubernetes.io/name: web\nspec:\n  destination:\n    name: web\n  sources:\n  - name: "*"\n    action: deny\n  - name: api\n    action: allow\n    description: "api: the public one"\n',
      '# router\nKind: service-router\nName: web\nRoutes:\n  - Match:\n      HTTP:\n        PathPrefix: /v2\n    Destination:\n      Service: web\n      PrefixRewrite: /\n      NumRetries: 3\n      RetryOnConnectFailure: true\n',
      '---\nKind: service-defaults\nName: a\n---\n# nothing here\n---\nKind: service-defaults\nName: b\nMaxInboundConnections: -1\nMeta:\n  owner: team-a\n',
    ];
    for (const text of texts) {
      const simple = parseSimpleYaml(text);
      expect(simple, text).toBeDefined();
      expect(simple).toEqual(parseYamlDocuments(text));
    }
  });

  it('declines what it does not fully understand, so the library reports the error', () => {
    for (const text of [
      'Kind: a\nKind: b\n',
      'a:\n  - x\n  b: 1\n',
      'Name: *web\n',
      'Name: web # the web\n',
      'N: 99999999999999999999\n',
      'Kind:\n',
      '- a\n',
    ]) {
      expect(parseSimpleYaml(text), text).toBeUndefined();
    }
    expect(parseYaml('Kind: a\nKind: b\n')).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('duplicate key') }] });
  });

  it('reads every YAML file in the repository as the library does', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name)) files.push(p);
      }
    };
    walk('config-entries');
    walk('test/fixtures');
    let fast = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const simple = parseSimpleYaml(text);
      if (simple === undefined) continue;
      fast++;
      expect(simple, f).toEqual(parseYamlDocuments(text));
    }
    expect(fast).toBeGreaterThan(0);
  });
});
