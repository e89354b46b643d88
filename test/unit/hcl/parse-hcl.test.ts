import { describe, it, expect } from 'vitest';
import { parseHcl } from '../../../src/formats/hcl/parse-hcl.ts';
import type { RawNode, RawObject, SyntaxProblem } from '../../../src/formats/raw.ts';

function body(text: string): RawObject {
  const r = parseHcl(text);
  if (!r.ok) throw new Error(`unexpected failure: ${JSON.stringify(r.problems)}`);
  expect(r.documents).toHaveLength(1);
  const d = r.documents[0];
  expect(d.type).toBe('object');
  return d as RawObject;
}

function problem(text: string): SyntaxProblem {
  const r = parseHcl(text);
  if (r.ok) throw new Error(`expected a syntax problem for ${JSON.stringify(text)}`);
  expect(r.problems).toHaveLength(1);
  return r.problems[0];
}

/** Positions stripped, for shape comparisons. */
function plain(n: RawNode): unknown {
  switch (n.type) {
    case 'object':
      return { obj: n.entries.map((e) => [e.key, plain(e.value)]) };
    case 'list':
      return n.items.map(plain);
    case 'number':
      return { num: n.value, text: n.text };
    case 'null':
      return null;
    default:
      return n.value;
  }
}

function value(text: string): unknown {
  const b = body(text);
  return plain(b.entries[0].value);
}

describe('parseHcl: structure', () => {
  it('parses key = value pairs with positions', () => {
    const b = body('kind = "mesh"\n  name = "x"\n');
    expect(b.pos).toEqual({ line: 1, column: 1 });
    expect(b.entries).toEqual([
      { key: 'kind', keyPos: { line: 1, column: 1 }, value: { type: 'string', value: 'mesh', pos: { line: 1, column: 8 } } },
      { key: 'name', keyPos: { line: 2, column: 3 }, value: { type: 'string', value: 'x', pos: { line: 2, column: 10 } } },
    ]);
  });

  it('accepts identifier keys with - . _ and digits, and quoted keys', () => {
    const b = body('a-b.c_d9 = 1\n"k v" = "v"\nmeta { "x.y" = "z" }');
    expect(b.entries.map((e) => e.key)).toEqual(['a-b.c_d9', 'k v', 'meta']);
    expect(plain(b.entries[2].value)).toEqual({ obj: [['x.y', 'z']] });
  });

  it('parses blocks with and without "="', () => {
    const b = body('a { x = 1 }\nb = {\n  y = true\n}');
    expect(plain(b)).toEqual({
      obj: [
        ['a', { obj: [['x', { num: 1, text: '1' }]] }],
        ['b', { obj: [['y', true]] }],
      ],
    });
    expect(b.entries[0].value.pos).toEqual({ line: 1, column: 3 });
    expect(b.entries[1].value.pos).toEqual({ line: 2, column: 5 });
  });

  it('nests multi-key blocks', () => {
    const b = body('a "b" "c" {\n  d = "e"\n}');
    expect(plain(b)).toEqual({ obj: [['a', { obj: [['b', { obj: [['c', { obj: [['d', 'e']] }]] }]] }]] });
    const a = b.entries[0];
    expect(a.keyPos).toEqual({ line: 1, column: 1 });
    const bb = (a.value as RawObject).entries[0];
    expect(bb.keyPos).toEqual({ line: 1, column: 3 });
    const c = (bb.value as RawObject).entries[0];
    expect(c.keyPos).toEqual({ line: 1, column: 7 });
    expect(c.value.pos).toEqual({ line: 1, column: 11 });
  });

  it('keeps duplicate keys in source order', () => {
    const b = body('a = 1\nblk { x = 1 }\na = 2\nblk { x = 2 }');
    expect(b.entries.map((e) => e.key)).toEqual(['a', 'blk', 'a', 'blk']);
  });

  it('parses list literals with objects, nested lists and trailing commas', () => {
    expect(value('x = [1, "two", true, 1.5,]')).toEqual([{ num: 1, text: '1' }, 'two', true, { num: 1.5, text: '1.5' }]);
    expect(value('x = [\n  { a = 1 },\n  { b = 2, c = 3 }\n  ,[ "n" ]\n]')).toEqual([
      { obj: [['a', { num: 1, text: '1' }]] },
      {
        obj: [
          ['b', { num: 2, text: '2' }],
          ['c', { num: 3, text: '3' }],
        ],
      },
      ['n'],
    ]);
    expect(value('x = []')).toEqual([]);
    const b = body('Permissions = [{ Action = "allow" HTTP { PathPrefix = "/v2" } }]');
    expect(plain(b)).toEqual({
      obj: [
        [
          'Permissions',
          [
            {
              obj: [
                ['Action', 'allow'],
                ['HTTP', { obj: [['PathPrefix', '/v2']] }],
              ],
            },
          ],
        ],
      ],
    });
    expect(b.entries[0].value.pos).toEqual({ line: 1, column: 15 });
  });

  it('allows items separated by commas or on one line', () => {
    expect(plain(body('a = 1, b = 2 c = 3'))).toEqual({
      obj: [
        ['a', { num: 1, text: '1' }],
        ['b', { num: 2, text: '2' }],
        ['c', { num: 3, text: '3' }],
      ],
    });
  });

  it('empty and comment-only files are an empty object', () => {
    expect(body('').entries).toEqual([]);
    expect(body('# nothing\n// here\n/* or\n here */\n').entries).toEqual([]);
  });
});

describe('parseHcl: scalars', () => {
  it('decodes string escapes', () => {
    expect(value('a = "q\\"b\\\\s\\nn\\tt\\rr"')).toBe('q"b\\s\nn\tt\rr');
    expect(value('a = "\\u00e9\\U0001F600"')).toBe('é😀');
    expect(value('a = "\\x41\\101"')).toBe('AA');
  });

  it('keeps ${} interpolations verbatim', () => {
    expect(value('a = "${var.x} \\n"')).toBe('${var.x} \n');
    expect(value('a = "${f("q")}"')).toBe('${f("q")}');
  });

  it('parses heredocs', () => {
    expect(value('a = <<EOF\nline1\n  line2\nEOF\n')).toBe('line1\n  line2\n');
    expect(value('a = <<-EOF\n    x\n      y\n    EOF\nb = 1')).toBe('x\n  y\n');
    // HCL1 removes the indentation of the closing marker, if every line has it
    expect(value('a = <<-EOF\n   x\n  y\n  EOF\n')).toBe(' x\ny\n');
    expect(value('a = <<EOF\r\nwin\r\nEOF\r\n')).toBe('win\r\n');
    const b = body('a = <<EOF\nx\nEOF\nb = 2');
    expect(b.entries[1].keyPos).toEqual({ line: 4, column: 1 });
  });

  it('parses numbers with exact text', () => {
    expect(value('a = 42')).toEqual({ num: 42, text: '42' });
    expect(value('a = -7')).toEqual({ num: -7, text: '-7' });
    expect(value('a = 0x1F')).toEqual({ num: 31, text: '0x1F' });
    expect(value('a = 010')).toEqual({ num: 8, text: '010' });
    expect(value('a = 1.5')).toEqual({ num: 1.5, text: '1.5' });
    expect(value('a = 1e3')).toEqual({ num: 1000, text: '1e3' });
    expect(value('a = -2.5E-1')).toEqual({ num: -0.25, text: '-2.5E-1' });
    expect(value('a = 9223372036854775807')).toEqual({ num: Number('9223372036854775807'), text: '9223372036854775807' });
    expect(value('a = -9223372036854775808')).toMatchObject({ text: '-9223372036854775808' });
  });

  it('parses booleans', () => {
    expect(value('a = true')).toBe(true);
    expect(value('a = false')).toBe(false);
  });

  it('skips all comment styles', () => {
    const b = body('# c1\na = 1 // c2\n/* c3\n c3 */ b = /* inline */ 2 # end');
    expect(plain(b)).toEqual({
      obj: [
        ['a', { num: 1, text: '1' }],
        ['b', { num: 2, text: '2' }],
      ],
    });
    expect(b.entries[1].keyPos).toEqual({ line: 4, column: 8 });
  });

  it('counts columns in code points', () => {
    const b = body('a = "😀😀" b = 1');
    expect(b.entries[1].keyPos).toEqual({ line: 1, column: 10 });
  });
});

describe('parseHcl: errors', () => {
  it('reports missing "=" or "{" after a key', () => {
    expect(problem('foo "bar"\n')).toMatchObject({ message: 'expected "=" or "{" after key "bar", reached end of file', pos: { line: 2, column: 1 } });
    expect(problem('a = 1\nfoo 2')).toMatchObject({ message: expect.stringContaining('expected "=" or "{" after key "foo"'), pos: { line: 2, column: 5 } });
  });

  it('reports unterminated strings at the opening quote', () => {
    expect(problem('a = 1\nb = "abc\n')).toMatchObject({ message: expect.stringContaining('unterminated string'), pos: { line: 2, column: 5 } });
  });

  it('reports a stray "}"', () => {
    expect(problem('a = 1\n}')).toMatchObject({ message: expect.stringContaining('unexpected "}"'), pos: { line: 2, column: 1 } });
  });

  it('reports unclosed blocks and lists', () => {
    expect(problem('a {\n b = 1\n')).toMatchObject({
      message: expect.stringContaining('unclosed "{" opened at line 1, column 3'),
      pos: { line: 3, column: 1 },
    });
    expect(problem('a = [1, 2')).toMatchObject({ message: expect.stringContaining('unclosed "["'), pos: { line: 1, column: 10 } });
    expect(problem('a = [1 2]')).toMatchObject({ message: expect.stringContaining('expected "," or "]"'), pos: { line: 1, column: 8 } });
  });

  it('reports bad values, escapes and numbers', () => {
    expect(problem('a = b')).toMatchObject({ pos: { line: 1, column: 5 } });
    expect(problem('a = null')).toMatchObject({ hint: expect.stringContaining('no null') });
    expect(problem('a = "x\\q"')).toMatchObject({ message: expect.stringContaining('invalid escape'), pos: { line: 1, column: 7 } });
    expect(problem('a = 09')).toMatchObject({ message: expect.stringContaining('octal'), pos: { line: 1, column: 5 } });
    expect(problem('a = 0x')).toMatchObject({ pos: { line: 1, column: 5 } });
    expect(problem('a = 1e')).toMatchObject({ pos: { line: 1, column: 5 } });
    expect(problem('a = 9223372036854775808')).toMatchObject({ message: expect.stringContaining('out of range') });
    expect(problem('a = 1e400')).toMatchObject({ message: expect.stringContaining('out of range') });
  });

  it('reports heredoc problems', () => {
    expect(problem('a = <<EOF\nabc\n')).toMatchObject({ message: expect.stringContaining('not terminated'), pos: { line: 1, column: 5 } });
    expect(problem('a = <<EOF\nabc\nEOF')).toMatchObject({ message: expect.stringContaining('not terminated') });
    expect(problem('a = <<EOF x\n')).toMatchObject({ pos: { line: 1, column: 10 } });
    expect(problem('a = <<\nx\n\n')).toMatchObject({ message: expect.stringContaining('empty') });
  });

  it('reports nested keys with "="', () => {
    expect(problem('a b = 1')).toMatchObject({ pos: { line: 1, column: 5 } });
  });

  it('reports unterminated block comments', () => {
    expect(problem('a = 1\n  /* open')).toMatchObject({ message: expect.stringContaining('unterminated comment'), pos: { line: 2, column: 3 } });
  });

  it('gives the curly quote hint', () => {
    const hint = 'replace the curly quotes (“ ”) with straight quotes (")';
    expect(problem('Kind = “mesh”')).toEqual({ message: expect.any(String), pos: { line: 1, column: 8 }, hint });
    expect(problem('Kind = "mesh"\nName = ‘web’')).toMatchObject({ pos: { line: 2, column: 8 }, hint });
    expect(problem('meta { “k” = "v" }')).toMatchObject({ pos: { line: 1, column: 8 }, hint });
    expect(problem('Kind = "mesh”\n')).toMatchObject({ pos: { line: 1, column: 8 }, hint });
    // curly quotes inside a straight-quoted string are just text
    expect(value('a = "say “hi”"')).toBe('say “hi”');
  });

  it('limits nesting depth instead of overflowing the stack', () => {
    const deep = 'a = ' + '['.repeat(100000) + ']'.repeat(100000);
    expect(problem(deep).message).toContain('nesting too deep');
    const blocks = 'a { '.repeat(50000) + '}'.repeat(50000);
    expect(problem(blocks).message).toContain('nesting too deep');
    expect(body('a = ' + '['.repeat(150) + ']'.repeat(150)).entries).toHaveLength(1);
  });

  it('rejects a file starting with "{" with a JSON hint', () => {
    expect(problem('{ "a": 1 }')).toMatchObject({ pos: { line: 1, column: 1 }, hint: expect.stringContaining('JSON') });
  });
});
