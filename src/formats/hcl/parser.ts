// Recursive-descent HCL1 parser following hashicorp/hcl v1 hcl/parser: an object list of items
// `key [key...] = value` or `key [key...] { ... }`, values literals, { objects } or [ lists ].
import { quoteToken, type SourcePosition } from '../../model/errors.ts';
import type { RawList, RawNode, RawObject, RawObjectEntry } from '../raw.ts';
import { HclError, Lexer, T, type Token } from './lexer.ts';

export const MAX_DEPTH = 200;

/** Returned by value() when `key =` is followed by the end of the file, which HCL1 silently drops. */
const EOF_VALUE = Symbol('eof');

function describe(t: Token): string {
  switch (t.type) {
    case T.EOF:
      return 'end of file';
    case T.IDENT:
      return quoteToken(t.text);
    case T.STRING:
      return `string ${quoteToken(t.str)}`;
    case T.HEREDOC:
      return 'heredoc';
    case T.NUMBER:
    case T.FLOAT:
      return `number ${quoteToken(t.text).slice(1, -1)}`;
    case T.BOOL:
      return t.text;
    default:
      return quoteToken(t.text);
  }
}

/** A block's keys as written, quoted: `"a" "b"`. */
function quotedKeys(first: Token, more: readonly Token[]): string {
  return [first, ...more].map((k) => quoteToken(k.str)).join(' ');
}

function posOf(t: Token): SourcePosition {
  return { line: t.line, column: t.column };
}

export class Parser {
  private readonly lx: Lexer;
  private peeked: Token | null = null;
  private depth = 0;

  constructor(text: string) {
    this.lx = new Lexer(text);
  }

  private next(): Token {
    const t = this.peeked;
    if (t) {
      this.peeked = null;
      return t;
    }
    return this.lx.next();
  }

  private peek(): Token {
    return (this.peeked ??= this.lx.next());
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      throw new HclError(`nesting too deep (more than ${MAX_DEPTH} levels of blocks or lists)`, posOf(t));
    }
  }

  parseFile(): RawObject {
    const first = this.peek();
    if (first.type === T.LBRACE) {
      throw new HclError(
        'unexpected "{" at the start of the file: expected a key',
        posOf(first),
        'HCL files start with `key = value` or `block { ... }`; if this is JSON, give the file a .json extension',
      );
    }
    const obj: RawObject = { type: 'object', entries: [], pos: { line: 1, column: 1 } };
    this.objectList(obj, false);
    const t = this.peek();
    if (t.type !== T.EOF) throw new HclError(`unexpected ${describe(t)}`, posOf(t));
    return obj;
  }

  /** Items until EOF (file) or "}" (object, left unconsumed). */
  private objectList(obj: RawObject, inObject: boolean): void {
    for (;;) {
      const t = this.peek();
      if (t.type === T.EOF) return;
      if (inObject && t.type === T.RBRACE) return;
      const entry = this.objectItem();
      if (entry === EOF_VALUE) return;
      obj.entries.push(entry);
      if (this.peek().type === T.COMMA) this.next();
    }
  }

  private objectItem(): RawObjectEntry | typeof EOF_VALUE {
    // The first key apart, and an array only for a block's further keys (`a "b" { }`): an item
    // nearly always has one key, and an array per item was most of what this parser allocated.
    let first: Token | undefined;
    let more: Token[] | undefined;
    let t: Token;
    for (;;) {
      t = this.next();
      if (t.type === T.IDENT || t.type === T.STRING) {
        if (!first) first = t;
        else (more ??= []).push(t);
        continue;
      }
      if (t.type === T.ASSIGN) {
        if (!first) throw new HclError('unexpected "=": expected a key before it', posOf(t));
        if (more) {
          throw new HclError(
            `expected "{" after ${quotedKeys(first, more)}: a block with several keys cannot use "="`,
            posOf(t),
            `write ${quotedKeys(first, more)} { ... }`,
          );
        }
        break;
      }
      if (t.type === T.LBRACE) {
        if (!first) throw new HclError('unexpected "{": expected a key before it', posOf(t));
        break;
      }
      if (first) {
        const last = more ? more[more.length - 1] : first;
        const where = t.type === T.EOF ? 'reached end of file' : `found ${describe(t)}`;
        throw new HclError(`expected "=" or "{" after key ${quoteToken(last.str)}, ${where}`, posOf(t));
      }
      if (t.type === T.RBRACE) throw new HclError('unexpected "}": there is no open block to close', posOf(t));
      throw new HclError(`unexpected ${describe(t)}: expected a key`, posOf(t));
    }

    let value: RawNode;
    if (t.type === T.ASSIGN) {
      const v = this.value(first);
      if (v === EOF_VALUE) return EOF_VALUE;
      value = v;
    } else {
      value = this.objectBody(t);
    }
    // nested keys: a "b" "c" { } → a → { b → { c → body } }
    if (more)
      for (let k = more.length - 1; k >= 0; k--) {
        const kt = more[k];
        const kp = posOf(kt);
        value = { type: 'object', entries: [{ key: kt.str, keyPos: kp, value }], pos: kp };
      }
    return { key: first.str, keyPos: posOf(first), value };
  }

  /** After "{": items, then the closing "}". */
  private objectBody(open: Token): RawObject {
    this.enter(open);
    const obj: RawObject = { type: 'object', entries: [], pos: posOf(open) };
    this.objectList(obj, true);
    const close = this.next();
    if (close.type !== T.RBRACE) {
      if (close.type === T.EOF) {
        throw new HclError(`unclosed "{" opened at line ${open.line}, column ${open.column}: expected "}" before the end of the file`, posOf(close));
      }
      throw new HclError(`expected "}" but found ${describe(close)}`, posOf(close));
    }
    this.depth--;
    return obj;
  }

  private value(key: Token): RawNode | typeof EOF_VALUE {
    const t = this.next();
    switch (t.type) {
      case T.STRING:
      case T.HEREDOC:
        return { type: 'string', value: t.str, pos: posOf(t) };
      case T.NUMBER:
      case T.FLOAT:
        return { type: 'number', value: t.num, text: t.text, pos: posOf(t) };
      case T.BOOL:
        return { type: 'bool', value: t.num === 1, pos: posOf(t) };
      case T.LBRACE:
        return this.objectBody(t);
      case T.LBRACK:
        return this.list(t);
      case T.EOF:
        return EOF_VALUE;
    }
    if (t.type === T.IDENT) {
      const hint =
        t.text === 'null' || t.text === 'nil' ? 'HCL1 has no null; remove the line to leave the field unset' : `quote it if it is text: ${quoteToken(t.text)}`;
      throw new HclError(`expected a value after ${quoteToken(`${key.str} =`)}, found ${describe(t)}`, posOf(t), hint);
    }
    throw new HclError(`expected a value after ${quoteToken(`${key.str} =`)}, found ${describe(t)}`, posOf(t));
  }

  /** After "[". Mirrors HCL1: commas between items, trailing and repeated commas accepted. */
  private list(open: Token): RawList {
    this.enter(open);
    const list: RawList = { type: 'list', items: [], pos: posOf(open) };
    let needComma = false;
    for (;;) {
      const t = this.next();
      if (needComma && t.type !== T.COMMA && t.type !== T.RBRACK) {
        if (t.type === T.EOF) {
          throw new HclError(`unclosed "[" opened at line ${open.line}, column ${open.column}: expected "]" before the end of the file`, posOf(t));
        }
        throw new HclError(`expected "," or "]" in list, found ${describe(t)}`, posOf(t));
      }
      switch (t.type) {
        case T.STRING:
        case T.HEREDOC:
          list.items.push({ type: 'string', value: t.str, pos: posOf(t) });
          needComma = true;
          continue;
        case T.NUMBER:
        case T.FLOAT:
          list.items.push({ type: 'number', value: t.num, text: t.text, pos: posOf(t) });
          needComma = true;
          continue;
        case T.BOOL:
          list.items.push({ type: 'bool', value: t.num === 1, pos: posOf(t) });
          needComma = true;
          continue;
        case T.COMMA:
          needComma = false;
          continue;
        case T.LBRACE:
          list.items.push(this.objectBody(t));
          needComma = true;
          continue;
        case T.LBRACK:
          list.items.push(this.list(t));
          continue;
        case T.RBRACK:
          this.depth--;
          return list;
        case T.EOF:
          throw new HclError(`unclosed "[" opened at line ${open.line}, column ${open.column}: expected "]" before the end of the file`, posOf(t));
      }
      throw new HclError(`unexpected ${describe(t)} in list`, posOf(t));
    }
  }
}
