// go-bexpr v0.1.2's grammar (the version Consul pins; hashicorp/go-bexpr grammar.peg) run the way
// its pigeon-generated parser (grammar.go) runs it: the same ordered choices, the same farthest-
// failure bookkeeping (failAt, maxFailExpected) and the same error list, so a filter Consul rejects
// is rejected here with Consul's text, positions included ("1:13 (12): no match found, expected:
// ...", `1:9 (8): rule "string": Unterminated string literal`). What it cannot reproduce: input that
// is not valid UTF-8 (Go reports "invalid encoding"; a JavaScript string holds no such bytes) and a
// `\xHH` escape above \x7f (Go keeps the raw byte; here it is the code point).

/** The parse tree as go-bexpr's ast.go builds it. */
export type BexprAst =
  | { t: 'binary'; op: 'and' | 'or'; left: BexprAst; right: BexprAst }
  | { t: 'not'; operand: BexprAst }
  | { t: 'match'; selector: string[]; operator: BexprOperator; value?: string };

/** ast.go MatchOperator; `contains` parses as MatchIn and `not contains` as MatchNotIn. */
export type BexprOperator = 'Equal' | 'Not Equal' | 'In' | 'Not In' | 'Is Empty' | 'Is Not Empty' | 'Matches' | 'Not Matches';

type Node =
  | { k: 'ref'; rule: string }
  | { k: 'lit'; val: string }
  | { k: 'class'; val: string; test: (c: string) => boolean }
  | { k: 'any' }
  | { k: 'seq' | 'choice'; of: Node[] }
  | { k: 'opt' | 'star' | 'plus' | 'and' | 'not'; of: Node }
  | { k: 'label'; label: string; of: Node }
  | { k: 'action'; of: Node; run: (labels: Labels, text: string) => { val: unknown; err?: string } }
  /** `&{ return false, errors.New(err) }`: fails, recording the error. */
  | { k: 'fail'; err: string };

type Labels = Record<string, unknown>;

const ref = (rule: string): Node => ({ k: 'ref', rule });
const lit = (val: string): Node => ({ k: 'lit', val });
const seq = (...of: Node[]): Node => ({ k: 'seq', of });
const choice = (...of: Node[]): Node => ({ k: 'choice', of });
const opt = (of: Node): Node => ({ k: 'opt', of });
const star = (of: Node): Node => ({ k: 'star', of });
const plus = (of: Node): Node => ({ k: 'plus', of });
const and = (of: Node): Node => ({ k: 'and', of });
const not = (of: Node): Node => ({ k: 'not', of });
const label = (name: string, of: Node): Node => ({ k: 'label', label: name, of });
const act = (of: Node, run: (labels: Labels, text: string) => unknown): Node => ({ k: 'action', of, run: (l, t) => ({ val: run(l, t) }) });
const fail = (err: string): Node => ({ k: 'fail', err });
const ws = opt(ref('_'));
const pass = (l: Labels) => l.expr;

const operator = (name: BexprOperator, ...words: string[]): Node =>
  act(seq(...words.flatMap((w, i) => (i === 0 ? [ref('_'), lit(w), ref('_')] : [lit(w), ref('_')]))), () => name);

/** The rules of grammar.peg, in its order; display names as pigeon keeps them (quotes included). */
const RULES: Record<string, { display?: string; expr: Node }> = {
  Input: {
    expr: choice(
      act(seq(ws, lit('('), ws, label('expr', ref('OrExpression')), ws, lit(')'), ws, ref('EOF')), pass),
      act(seq(ws, label('expr', ref('OrExpression')), ws, ref('EOF')), pass),
    ),
  },
  OrExpression: {
    expr: choice(
      act(seq(label('left', ref('AndExpression')), ref('_'), lit('or'), ref('_'), label('right', ref('OrExpression'))), (l) => binary('or', l)),
      act(label('expr', ref('AndExpression')), pass),
    ),
  },
  AndExpression: {
    expr: choice(
      act(seq(label('left', ref('NotExpression')), ref('_'), lit('and'), ref('_'), label('right', ref('AndExpression'))), (l) => binary('and', l)),
      act(label('expr', ref('NotExpression')), pass),
    ),
  },
  NotExpression: {
    expr: choice(
      act(seq(lit('not'), ref('_'), label('expr', ref('NotExpression'))), (l) => {
        const e = l.expr as BexprAst;
        return e.t === 'not' ? e.operand : { t: 'not', operand: e };
      }),
      act(label('expr', ref('ParenthesizedExpression')), pass),
    ),
  },
  ParenthesizedExpression: {
    display: '"grouping"',
    expr: choice(
      act(seq(lit('('), ws, label('expr', ref('OrExpression')), ws, lit(')')), pass),
      act(label('expr', ref('MatchExpression')), pass),
      seq(lit('('), ws, ref('OrExpression'), ws, not(lit(')')), fail('Unmatched parentheses')),
    ),
  },
  MatchExpression: { display: '"match"', expr: choice(ref('MatchSelectorOpValue'), ref('MatchSelectorOp'), ref('MatchValueOpSelector')) },
  MatchSelectorOpValue: {
    display: '"match"',
    expr: act(
      seq(
        label('selector', ref('Selector')),
        label(
          'operator',
          choice(ref('MatchEqual'), ref('MatchNotEqual'), ref('MatchContains'), ref('MatchNotContains'), ref('MatchMatches'), ref('MatchNotMatches')),
        ),
        label('value', ref('Value')),
      ),
      (l) => match(l),
    ),
  },
  MatchSelectorOp: {
    display: '"match"',
    expr: act(seq(label('selector', ref('Selector')), label('operator', choice(ref('MatchIsEmpty'), ref('MatchIsNotEmpty')))), (l) => match(l)),
  },
  MatchValueOpSelector: {
    display: '"match"',
    expr: choice(
      act(seq(label('value', ref('Value')), label('operator', choice(ref('MatchIn'), ref('MatchNotIn'))), label('selector', ref('Selector'))), (l) => match(l)),
      seq(ref('Value'), label('operator', choice(ref('MatchIn'), ref('MatchNotIn'))), not(ref('Selector')), fail('Invalid selector')),
    ),
  },
  MatchEqual: { expr: act(seq(ws, lit('=='), ws), () => 'Equal') },
  MatchNotEqual: { expr: act(seq(ws, lit('!='), ws), () => 'Not Equal') },
  MatchIsEmpty: { expr: act(seq(ref('_'), lit('is'), ref('_'), lit('empty')), () => 'Is Empty') },
  MatchIsNotEmpty: { expr: act(seq(ref('_'), lit('is'), ref('_'), lit('not'), ref('_'), lit('empty')), () => 'Is Not Empty') },
  MatchIn: { expr: operator('In', 'in') },
  MatchNotIn: { expr: operator('Not In', 'not', 'in') },
  MatchContains: { expr: operator('In', 'contains') },
  MatchNotContains: { expr: operator('Not In', 'not', 'contains') },
  MatchMatches: { expr: operator('Matches', 'matches') },
  MatchNotMatches: { expr: operator('Not Matches', 'not', 'matches') },
  Selector: {
    display: '"selector"',
    expr: act(seq(label('first', ref('Identifier')), label('rest', star(ref('SelectorOrIndex')))), (l) => [
      l.first as string,
      ...((l.rest as string[] | null) ?? []),
    ]),
  },
  Identifier: {
    expr: act(
      seq({ k: 'class', val: '[a-zA-Z]', test: (c) => /^[a-zA-Z]$/.test(c) }, star({ k: 'class', val: '[a-zA-Z0-9_]', test: (c) => /^[a-zA-Z0-9_]$/.test(c) })),
      (_l, text) => text,
    ),
  },
  SelectorOrIndex: {
    expr: choice(
      act(seq(lit('.'), label('ident', ref('Identifier'))), (l) => l.ident),
      act(label('expr', ref('IndexExpression')), pass),
    ),
  },
  IndexExpression: {
    display: '"index"',
    expr: choice(
      act(seq(lit('['), ws, label('lit', ref('StringLiteral')), ws, lit(']')), (l) => l.lit),
      seq(lit('['), ws, not(ref('StringLiteral')), fail('Invalid index')),
      seq(lit('['), ws, ref('StringLiteral'), ws, not(lit(']')), fail('Unclosed index expression')),
    ),
  },
  Value: {
    display: '"value"',
    expr: choice(
      act(label('selector', ref('Selector')), (l) => (l.selector as string[]).join('.')),
      act(label('n', ref('NumberLiteral')), (l) => l.n),
      act(label('s', ref('StringLiteral')), (l) => l.s),
    ),
  },
  NumberLiteral: {
    display: '"number"',
    expr: choice(
      act(seq(opt(lit('-')), ref('IntegerOrFloat'), and(ref('AfterNumbers'))), (_l, text) => text),
      seq(opt(lit('-')), ref('IntegerOrFloat'), not(ref('AfterNumbers')), fail('Invalid number literal')),
    ),
  },
  AfterNumbers: { expr: and(choice(ref('_'), ref('EOF'), lit(')'))) },
  IntegerOrFloat: {
    expr: seq(
      choice(lit('0'), seq({ k: 'class', val: '[1-9]', test: (c) => c >= '1' && c <= '9' }, star({ k: 'class', val: '[0-9]', test: isDigit }))),
      opt(seq(lit('.'), plus({ k: 'class', val: '[0-9]', test: isDigit }))),
    ),
  },
  StringLiteral: {
    display: '"string"',
    expr: choice(
      {
        k: 'action',
        of: choice(seq(lit('`'), star(ref('RawStringChar')), lit('`')), seq(lit('"'), star(ref('DoubleStringChar')), lit('"'))),
        // strconv.Unquote(string(c.text)): its only error is ErrSyntax.
        run: (_l, text) => {
          const s = goUnquote(text);
          return s === undefined ? { val: '', err: 'invalid syntax' } : { val: s };
        },
      },
      seq(choice(seq(lit('`'), star(ref('RawStringChar'))), seq(lit('"'), star(ref('DoubleStringChar')))), ref('EOF'), fail('Unterminated string literal')),
    ),
  },
  RawStringChar: { expr: seq(not(lit('`')), { k: 'any' }) },
  DoubleStringChar: { expr: seq(not(lit('"')), { k: 'any' }) },
  _: { display: '"whitespace"', expr: plus({ k: 'class', val: '[ \\t\\r\\n]', test: (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n' }) },
  EOF: { expr: not({ k: 'any' }) },
};

function utf8Width(rune: string): number {
  const cp = rune.codePointAt(0)!;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function binary(op: 'and' | 'or', l: Labels): BexprAst {
  return { t: 'binary', op, left: l.left as BexprAst, right: l.right as BexprAst };
}

function match(l: Labels): BexprAst {
  const value = l.value as string | undefined;
  return { t: 'match', selector: l.selector as string[], operator: l.operator as BexprOperator, ...(value === undefined ? {} : { value }) };
}

/** pigeon's position: line and column count runes (a column is 0 on the newline itself), offset counts UTF-8 bytes. */
interface Point {
  i: number;
  offset: number;
  line: number;
  col: number;
}

/** Go's %q of an ASCII literal, as pigeon's parseLitMatcher words what it wanted. */
function goQuote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

class Parser {
  private readonly runes: string[];
  private readonly widths: number[];
  private pt: Point = { i: 0, offset: 0, line: 1, col: 1 };
  private maxFailPos: Point = { i: 0, offset: 0, line: 1, col: 1 };
  private maxFailExpected: string[] = [];
  private maxFailInvert = false;
  private readonly rstack: string[] = [];
  private readonly vstack: Labels[] = [];
  readonly errors: string[] = [];

  constructor(src: string) {
    this.runes = [...src];
    this.widths = this.runes.map(utf8Width);
    // newParser starts at line 1, column 0; its first read() moves onto the first rune.
    if (this.runes[0] === '\n') this.pt = { i: 0, offset: 0, line: 2, col: 0 };
  }

  parse(): BexprAst | undefined {
    const [val, ok] = this.rule('Input');
    if (!ok) {
      if (this.errors.length === 0) {
        const wanted = new Set(this.maxFailExpected);
        const eof = wanted.delete('!.');
        const expected = [...wanted].sort();
        if (eof) expected.push('EOF');
        this.errorAt('no match found, expected: ' + listJoin(expected), this.maxFailPos, false);
      }
      return undefined;
    }
    return this.errors.length ? undefined : (val as BexprAst);
  }

  private get cur(): string | undefined {
    return this.runes[this.pt.i];
  }

  private read(): void {
    const offset = this.pt.offset + this.widths[this.pt.i];
    const i = this.pt.i + 1;
    const next = this.runes[i];
    this.pt = next === '\n' ? { i, offset, line: this.pt.line + 1, col: 0 } : { i, offset, line: this.pt.line, col: this.pt.col + 1 };
  }

  /** addErrAt: "<line>:<col> (<offset>)", then `rule <name>` of the innermost rule, then the error. */
  private errorAt(message: string, pos: Point, inRule = true): void {
    const top = this.rstack[this.rstack.length - 1];
    const prefix = `${pos.line}:${pos.col} (${pos.offset})` + (inRule && top ? `: rule ${RULES[top].display ?? top}` : '');
    const text = `${prefix}: ${message}`;
    // errList.dedupe: one of each message.
    if (!this.errors.includes(text)) this.errors.push(text);
  }

  private failAt(failed: boolean, pos: Point, want: string): void {
    if (failed !== this.maxFailInvert) return;
    if (pos.offset < this.maxFailPos.offset) return;
    if (pos.offset > this.maxFailPos.offset) {
      this.maxFailPos = pos;
      this.maxFailExpected = [];
    }
    this.maxFailExpected.push(this.maxFailInvert ? `!${want}` : want);
  }

  /**
   * One rule at one position (and inside or outside a `!`) always parses alike, so its outcome is
   * kept: pigeon's parser (no memoize option in go-bexpr) re-parses instead, which takes time
   * exponential in the nesting of parentheses (Consul itself spins on `((((((((((x`). Skipping a
   * repeat changes no result: its failAt calls and errors were already recorded, and both are sets.
   */
  private readonly memo = new Map<string, { val: unknown; ok: boolean; end: Point }>();

  private rule(name: string): [unknown, boolean] {
    const key = `${name} ${this.pt.i} ${this.maxFailInvert}`;
    const seen = this.memo.get(key);
    if (seen) {
      this.pt = seen.end;
      return [seen.val, seen.ok];
    }
    this.rstack.push(name);
    this.vstack.push({});
    const [val, ok] = this.expr(RULES[name].expr);
    this.vstack.pop();
    this.rstack.pop();
    this.memo.set(key, { val, ok, end: this.pt });
    return [val, ok];
  }

  private framed(node: Node): [unknown, boolean] {
    this.vstack.push({});
    const out = this.expr(node);
    this.vstack.pop();
    return out;
  }

  private expr(node: Node): [unknown, boolean] {
    switch (node.k) {
      case 'ref':
        return this.rule(node.rule);
      case 'lit': {
        const start = this.pt;
        const want = goQuote(node.val);
        for (const c of node.val) {
          if (this.cur !== c) {
            // the `.` wanted at EOF is failAt(false, pos, ".") too
            this.failAt(false, start, want);
            this.pt = start;
            return [undefined, false];
          }
          this.read();
        }
        this.failAt(true, start, want);
        return [node.val, true];
      }
      case 'class': {
        const start = this.pt;
        const c = this.cur;
        if (c !== undefined && node.test(c)) {
          this.read();
          this.failAt(true, start, node.val);
          return [c, true];
        }
        this.failAt(false, start, node.val);
        return [undefined, false];
      }
      case 'any': {
        const start = this.pt;
        if (this.cur === undefined) {
          this.failAt(false, start, '.');
          return [undefined, false];
        }
        this.read();
        this.failAt(true, start, '.');
        return [this.runes[start.i], true];
      }
      case 'seq': {
        const start = this.pt;
        const vals: unknown[] = [];
        for (const e of node.of) {
          const [v, ok] = this.expr(e);
          if (!ok) {
            this.pt = start;
            return [undefined, false];
          }
          vals.push(v);
        }
        return [vals, true];
      }
      case 'choice':
        for (const alt of node.of) {
          const [v, ok] = this.framed(alt);
          if (ok) return [v, true];
        }
        return [undefined, false];
      case 'opt':
        return [this.framed(node.of)[0], true];
      case 'star':
      case 'plus': {
        const vals: unknown[] = [];
        for (;;) {
          const [v, ok] = this.framed(node.of);
          if (!ok) break;
          vals.push(v);
        }
        if (node.k === 'plus' && vals.length === 0) return [undefined, false];
        // A Go nil slice when nothing matched.
        return [vals.length ? vals : null, true];
      }
      case 'and':
      case 'not': {
        const start = this.pt;
        if (node.k === 'not') this.maxFailInvert = !this.maxFailInvert;
        const [, ok] = this.framed(node.of);
        if (node.k === 'not') this.maxFailInvert = !this.maxFailInvert;
        this.pt = start;
        return [undefined, node.k === 'and' ? ok : !ok];
      }
      case 'label': {
        const [v, ok] = this.framed(node.of);
        if (ok) this.vstack[this.vstack.length - 1][node.label] = v;
        return [v, ok];
      }
      case 'action': {
        const start = this.pt;
        const [, ok] = this.expr(node.of);
        if (!ok) return [undefined, false];
        const text = this.runes.slice(start.i, this.pt.i).join('');
        const { val, err } = node.run(this.vstack[this.vstack.length - 1], text);
        if (err !== undefined) this.errorAt(err, start);
        return [val, true];
      }
      case 'fail':
        this.errorAt(node.err, this.pt);
        return [undefined, false];
    }
  }
}

/** pigeon's listJoin: "a, b or c". */
function listJoin(list: string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

/** strconv.Unquote for the two quotings the grammar reads; undefined is its ErrSyntax. */
export function goUnquote(text: string): string | undefined {
  if (text.length < 2) return undefined;
  const quote = text[0];
  if (quote !== text[text.length - 1]) return undefined;
  const body = text.slice(1, -1);
  if (quote === '`') return body.includes('`') ? undefined : body.replaceAll('\r', '');
  if (quote !== '"' || body.includes('\n')) return undefined;
  let out = '';
  const chars = [...body];
  for (let i = 0; i < chars.length;) {
    const c = chars[i];
    if (c === '"') return undefined;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = chars[i + 1];
    if (e === undefined) return undefined;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (e in simple) {
      out += simple[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = chars.slice(i + 2, i + 2 + n).join('');
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const v = parseInt(hex, 16);
      // utf8.ValidRune for \u and \U: no surrogate halves, nothing past U+10FFFF.
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return undefined;
      out += String.fromCodePoint(v);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = chars.slice(i + 1, i + 4).join('');
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 4;
    } else return undefined;
  }
  return out;
}

/** grammar.go Parse("", expression): the tree, or the error text Consul prints (errList.Error()). */
export function parseBexprText(src: string): { ast: BexprAst } | { error: string } {
  const p = new Parser(src);
  let ast: BexprAst | undefined;
  try {
    ast = p.parse();
  } catch (e) {
    // Go's stack grows to a gigabyte; this one ends near a thousand nested terms.
    if (e instanceof RangeError) return { error: 'the expression nests too deeply for consul-gitops to parse' };
    throw e;
  }
  return ast ? { ast } : { error: p.errors.join('\n') };
}
