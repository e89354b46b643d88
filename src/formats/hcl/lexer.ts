// Single-pass HCL1 lexer over UTF-16 char codes. Mirrors the token rules of hashicorp/hcl v1
// (hcl/scanner): identifiers, "strings" with ${} sections, <<heredocs, numbers, comments.
// Positions are 1-based lines and 1-based columns counted in Unicode code points.
import { quoteToken, type SourcePosition } from '../../model/errors.ts';
import { ConsulGitopsError } from '../../errors.ts';

export const T = {
  EOF: 0,
  IDENT: 1,
  STRING: 2,
  HEREDOC: 3,
  NUMBER: 4,
  FLOAT: 5,
  BOOL: 6,
  LBRACE: 7,
  RBRACE: 8,
  LBRACK: 9,
  RBRACK: 10,
  COMMA: 11,
  ASSIGN: 12,
  ADD: 13,
  SUB: 14,
  PERIOD: 15,
} as const;
export type T = (typeof T)[keyof typeof T];

export interface Token {
  type: T;
  /** Source text of the token. */
  text: string;
  /** Decoded string (STRING, HEREDOC), identifier text (IDENT). */
  str: string;
  /** Numeric value (NUMBER, FLOAT) or 1/0 for BOOL. */
  num: number;
  line: number;
  column: number;
}

/** A lexical or syntax error; thrown inside the parser only and turned into a SyntaxProblem. */
export class HclError extends ConsulGitopsError {
  readonly pos: SourcePosition;
  readonly hint: string | undefined;
  constructor(message: string, pos: SourcePosition, hint?: string) {
    super('syntax', message);
    this.pos = pos;
    this.hint = hint;
  }
}

export const CURLY_QUOTE_HINT = 'replace the curly quotes (“ ”) with straight quotes (")';

const utf8 = new TextDecoder('utf-8');
const RE_LETTER = /\p{L}/u;
const RE_DIGIT = /\p{Nd}/u;

function isCurlyQuote(c: number): boolean {
  return c === 0x201c || c === 0x201d || c === 0x2018 || c === 0x2019;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexVal(c: number): number {
  if (c <= 57) return c - 48;
  if (c >= 97) return c - 87;
  return c - 55;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export class Lexer {
  private readonly src: string;
  private readonly n: number;
  private i = 0;
  private line = 1;
  private lineStart = 0;
  /** Low surrogates seen on the current line before `i` (columns count code points). */
  private adj = 0;

  constructor(src: string) {
    this.src = src;
    this.n = src.length;
  }

  pos(): SourcePosition {
    return { line: this.line, column: this.i - this.lineStart - this.adj + 1 };
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
    this.adj = 0;
  }

  /** Code point (not code unit) at i, for unicode letter tests. */
  private codePointAt(i: number): number {
    return this.src.codePointAt(i) ?? 0;
  }

  private isLetterAt(i: number): boolean {
    const c = this.src.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return true;
    if (c < 0x80 || i >= this.n) return false;
    return RE_LETTER.test(String.fromCodePoint(this.codePointAt(i)));
  }

  private isDigitAt(i: number): boolean {
    const c = this.src.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c < 0x80 || i >= this.n) return false;
    return RE_DIGIT.test(String.fromCodePoint(this.codePointAt(i)));
  }

  /** Advance over one (possibly astral) character that is not a newline. */
  private stepChar(): void {
    const c = this.src.charCodeAt(this.i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.src.charCodeAt(this.i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        this.i += 2;
        this.adj++;
        return;
      }
    }
    this.i++;
  }

  private tok(type: T, start: number, line: number, column: number, str = '', num = 0): Token {
    return { type, text: this.src.slice(start, this.i), str, num, line, column };
  }

  next(): Token {
    const src = this.src;
    const n = this.n;
    // skip whitespace and comments
    for (;;) {
      if (this.i >= n) break;
      const c = src.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 13) {
        this.i++;
      } else if (c === 10) {
        this.newline(this.i);
        this.i++;
      } else if (c === 35 /* # */ || (c === 47 /* / */ && src.charCodeAt(this.i + 1) === 47)) {
        for (let d = src.charCodeAt(this.i); this.i < n && d !== 10; d = src.charCodeAt(this.i)) {
          if (d < 0xd800 || d > 0xdbff) this.i++;
          else this.stepChar();
        }
      } else if (c === 47 && src.charCodeAt(this.i + 1) === 42 /* * */) {
        const p = this.pos();
        this.i += 2;
        for (;;) {
          if (this.i >= n) throw new HclError('unterminated comment: "/*" has no closing "*/"', p);
          const d = src.charCodeAt(this.i);
          if (d === 42 && src.charCodeAt(this.i + 1) === 47) {
            this.i += 2;
            break;
          }
          if (d === 10) {
            this.newline(this.i);
            this.i++;
          } else this.stepChar();
        }
      } else if (c === 47) {
        throw new HclError('unexpected "/": comments start with "//", "/*" or "#"', this.pos());
      } else break;
    }

    const line = this.line;
    const column = this.i - this.lineStart - this.adj + 1;
    const start = this.i;
    if (start >= n) return { type: T.EOF, text: '', str: '', num: 0, line, column };
    const c = src.charCodeAt(start);

    if (this.isLetterAt(start)) {
      this.stepChar();
      // ASCII letters, digits, `_`, `-` and `.` are tested inline (no call per character); only other
      // characters take the Unicode tests.
      while (this.i < n) {
        const d = src.charCodeAt(this.i);
        if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95 || d === 45 || d === 46) this.i++;
        else if (d >= 0x80 && (this.isLetterAt(this.i) || this.isDigitAt(this.i))) this.stepChar();
        else break;
      }
      const text = src.slice(start, this.i);
      if (text === 'true' || text === 'false') return { type: T.BOOL, text, str: text, num: text === 'true' ? 1 : 0, line, column };
      return { type: T.IDENT, text, str: text, num: 0, line, column };
    }
    if ((c >= 48 && c <= 57) || (c === 45 && this.isAsciiDigit(start + 1))) {
      return this.number(start, line, column);
    }
    switch (c) {
      case 34:
        return this.string(start, line, column);
      case 60:
        return this.heredoc(start, line, column);
      case 46: // .
        if (this.isAsciiDigit(start + 1)) return this.number(start, line, column);
        this.i++;
        return this.tok(T.PERIOD, start, line, column);
      case 123:
        this.i++;
        return this.tok(T.LBRACE, start, line, column);
      case 125:
        this.i++;
        return this.tok(T.RBRACE, start, line, column);
      case 91:
        this.i++;
        return this.tok(T.LBRACK, start, line, column);
      case 93:
        this.i++;
        return this.tok(T.RBRACK, start, line, column);
      case 44:
        this.i++;
        return this.tok(T.COMMA, start, line, column);
      case 61:
        this.i++;
        return this.tok(T.ASSIGN, start, line, column);
      case 43:
        this.i++;
        return this.tok(T.ADD, start, line, column);
      case 45:
        this.i++;
        return this.tok(T.SUB, start, line, column);
    }
    const p = { line, column };
    if (isCurlyQuote(c)) {
      throw new HclError(`unexpected curly quote "${src[start]}"`, p, CURLY_QUOTE_HINT);
    }
    if (c === 39) throw new HclError(`unexpected "'": HCL strings use double quotes`, p, `use "..." instead of '...'`);
    if (c === 0xa0) throw new HclError('unexpected non-breaking space (U+00A0)', p, 'replace it with a normal space');
    if (c === 0xfeff) throw new HclError('unexpected byte order mark (U+FEFF)', p, 'save the file as UTF-8 without a BOM');
    if (c === 0) throw new HclError('unexpected NUL character', p);
    const cp = this.codePointAt(start);
    const shown = cp < 32 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `"${String.fromCodePoint(cp)}"`;
    throw new HclError(`unexpected character ${shown}`, p);
  }

  private isAsciiDigit(i: number): boolean {
    const c = this.src.charCodeAt(i);
    return c >= 48 && c <= 57;
  }

  private digits(): number {
    const s = this.i;
    while (this.isAsciiDigit(this.i)) this.i++;
    return this.i - s;
  }

  private exponent(start: number, line: number, column: number): void {
    // at 'e' / 'E'
    this.i++;
    const c = this.src.charCodeAt(this.i);
    if (c === 43 || c === 45) this.i++;
    if (this.digits() === 0) {
      throw new HclError(`invalid number ${quoteToken(this.src.slice(start, this.i))}: missing exponent digits`, { line, column });
    }
  }

  private number(start: number, line: number, column: number): Token {
    const src = this.src;
    const p = { line, column };
    let isFloat = false;
    if (src.charCodeAt(this.i) === 45) this.i++;
    const first = src.charCodeAt(this.i);
    if (first === 46) {
      // .5
      isFloat = true;
      this.i++;
      this.digits();
      const e = src.charCodeAt(this.i);
      if (e === 101 || e === 69) this.exponent(start, line, column);
    } else if (first === 48 && (src.charCodeAt(this.i + 1) === 120 || src.charCodeAt(this.i + 1) === 88)) {
      this.i += 2;
      const s = this.i;
      while (isHex(src.charCodeAt(this.i))) this.i++;
      if (this.i === s) throw new HclError(`invalid hexadecimal number ${quoteToken(src.slice(start, this.i))}`, p);
    } else {
      this.digits();
      const d = src.charCodeAt(this.i);
      if (d === 101 || d === 69) {
        isFloat = true;
        this.exponent(start, line, column);
      } else if (d === 46) {
        isFloat = true;
        this.i++;
        this.digits();
        const e = src.charCodeAt(this.i);
        if (e === 101 || e === 69) this.exponent(start, line, column);
      }
    }
    const text = src.slice(start, this.i);
    if (isFloat) {
      const v = Number(text);
      // hcl/decoder.go decodeFloat: strconv.ParseFloat(text, 64).
      if (!Number.isFinite(v)) throw new HclError(`strconv.ParseFloat: parsing ${quoteToken(text)}: value out of range`, p);
      return { type: T.FLOAT, text, str: '', num: v, line, column };
    }
    return { type: T.NUMBER, text, str: '', num: intValue(text, p), line, column };
  }

  private string(start: number, line: number, column: number): Token {
    const src = this.src;
    const n = this.n;
    this.i++; // opening quote
    let braces = 0;
    let out = '';
    let chunk = this.i; // start of pending verbatim text
    for (;;) {
      if (this.i >= n) throw this.unterminated(start, line, column);
      const c = src.charCodeAt(this.i);
      if (c === 10) {
        if (braces === 0) throw this.unterminated(start, line, column);
        this.newline(this.i);
        this.i++;
        continue;
      }
      if (c === 34 && braces === 0) {
        out += src.slice(chunk, this.i);
        this.i++;
        break;
      }
      if (braces === 0 && c === 36 && src.charCodeAt(this.i + 1) === 123) {
        braces = 1;
        this.i += 2;
        continue;
      }
      if (braces > 0) {
        if (c === 123) braces++;
        else if (c === 125) braces--;
      }
      if (c === 92) {
        const escPos = this.pos();
        if (braces > 0) {
          // inside ${ }: validated but kept verbatim
          this.i++;
          this.escape(escPos);
        } else {
          out += src.slice(chunk, this.i);
          this.i++;
          const e = this.escape(escPos);
          if (typeof e === 'number') {
            // \xNN and \NNN are raw bytes in Go; consecutive ones may form one UTF-8 character
            const bytes = [e];
            while (src.charCodeAt(this.i) === 92) {
              const c2 = src.charCodeAt(this.i + 1);
              if (c2 !== 120 && !(c2 >= 48 && c2 <= 55)) break;
              const p2 = this.pos();
              this.i++;
              bytes.push(this.escape(p2) as number);
            }
            out += bytes.every((b) => b < 0x80) ? String.fromCharCode(...bytes) : utf8.decode(new Uint8Array(bytes));
          } else out += e;
          chunk = this.i;
        }
        continue;
      }
      // Only a high surrogate needs stepChar (a pair is one column); anything else is one code unit.
      if (c < 0xd800 || c > 0xdbff) this.i++;
      else this.stepChar();
    }
    return { type: T.STRING, text: src.slice(start, this.i), str: out, num: 0, line, column };
  }

  private unterminated(start: number, line: number, column: number): HclError {
    let end = this.src.indexOf('\n', start);
    if (end < 0) end = this.n;
    const rest = this.src.slice(start, end);
    const curly = /[\u201c\u201d\u2018\u2019]/.test(rest);
    return new HclError("unterminated string: missing closing '\"' before the end of the line", { line, column }, curly ? CURLY_QUOTE_HINT : undefined);
  }

  /** At the character after a backslash; returns the decoded text, or a byte value for \xNN / \NNN. */
  private escape(p: SourcePosition): string | number {
    const src = this.src;
    const c = src.charCodeAt(this.i);
    const bad = (): HclError =>
      new HclError(
        `invalid escape sequence "\\${this.i < this.n ? String.fromCodePoint(this.codePointAt(this.i)) : ''}" in string`,
        p,
        'valid escapes are \\" \\\\ \\n \\t \\r \\uXXXX \\UXXXXXXXX',
      );
    switch (c) {
      case 110:
        this.i++;
        return '\n';
      case 116:
        this.i++;
        return '\t';
      case 114:
        this.i++;
        return '\r';
      case 34:
        this.i++;
        return '"';
      case 92:
        this.i++;
        return '\\';
      case 97:
        this.i++;
        return '\x07';
      case 98:
        this.i++;
        return '\b';
      case 102:
        this.i++;
        return '\f';
      case 118:
        this.i++;
        return '\v';
      case 120: // \xNN
        return this.hexEscape(2, p).codePointAt(0)!;
      case 117:
        return this.hexEscape(4, p);
      case 85:
        return this.hexEscape(8, p);
    }
    if (c >= 48 && c <= 55) {
      let v = 0;
      for (let k = 0; k < 3; k++) {
        const d = src.charCodeAt(this.i);
        if (!(d >= 48 && d <= 55)) throw new HclError('invalid octal escape in string: expected 3 octal digits', p);
        v = v * 8 + (d - 48);
        this.i++;
      }
      if (v > 255) throw new HclError('invalid octal escape in string: value above \\377', p);
      return v;
    }
    throw bad();
  }

  private hexEscape(count: number, p: SourcePosition): string {
    const src = this.src;
    const letter = src[this.i];
    this.i++;
    let v = 0;
    for (let k = 0; k < count; k++) {
      const d = src.charCodeAt(this.i);
      if (!isHex(d)) throw new HclError(`invalid escape "\\${letter}" in string: expected ${count} hex digits`, p);
      v = v * 16 + hexVal(d);
      this.i++;
    }
    if (v > 0x10ffff) {
      throw new HclError(`invalid escape "\\${letter}" in string: U+${v.toString(16).toUpperCase()} is not a valid character`, p);
    }
    // Go encodes a surrogate code point as U+FFFD
    return v >= 0xd800 && v <= 0xdfff ? '\ufffd' : String.fromCodePoint(v);
  }

  private heredoc(start: number, line: number, column: number): Token {
    const src = this.src;
    const n = this.n;
    const p = { line, column };
    if (src.charCodeAt(start + 1) !== 60) {
      throw new HclError('unexpected "<": a heredoc starts with "<<" followed by a marker, e.g. <<EOF', p);
    }
    this.i = start + 2;
    const identStart = this.i;
    if (src.charCodeAt(this.i) === 45) this.i++;
    while (this.i < n && (this.isLetterAt(this.i) || this.isDigitAt(this.i))) this.stepChar();
    const ident = src.slice(identStart, this.i);
    if (this.i >= n) throw new HclError(`heredoc <<${quoteToken(ident).slice(1, -1)} is not terminated`, p);
    const crlf = src.charCodeAt(this.i) === 13 && src.charCodeAt(this.i + 1) === 10;
    if (crlf) this.i++;
    if (src.charCodeAt(this.i) !== 10) {
      throw new HclError(`invalid characters after heredoc marker <<${quoteToken(ident).slice(1, -1)}: the marker must end the line`, this.pos());
    }
    if (ident === '' || ident === '-') throw new HclError('heredoc marker is empty: write e.g. <<EOF', p);
    const marker = ident.charCodeAt(0) === 45 ? ident.slice(1) : ident;
    // HCL1's scanHeredoc (hashicorp/hcl v1 hcl/scanner/scanner.go) takes the anchor's bytes up to the
    // newline, so a CRLF anchor carries its "\r" (identBytes), and ends the heredoc at the first line
    // at least that long that matches `[[:space:]]*MARKER\z`, unanchored: any line ending with the
    // marker (and that "\r"), `xEOF` included. token.go unindentHeredoc then keeps the line's start.
    const anchorLength = ident.length + (crlf ? 1 : 0);
    const end = crlf ? `${marker}\r` : marker;
    this.newline(this.i);
    this.i++;
    let lineStart = this.i;
    for (;;) {
      if (this.i >= n) {
        throw new HclError(
          `heredoc <<${quoteToken(ident).slice(1, -1)} is not terminated: expected a line ending with ${quoteToken(marker).slice(1, -1)}`,
          p,
          `end the heredoc with a line ${quoteToken(marker)} followed by a newline`,
        );
      }
      const c = src.charCodeAt(this.i);
      if (c === 10) {
        if (this.i - lineStart >= anchorLength && src.startsWith(end, this.i - end.length)) {
          this.newline(this.i);
          this.i++;
          break;
        }
        this.newline(this.i);
        this.i++;
        lineStart = this.i;
        continue;
      }
      this.stepChar();
    }
    const text = src.slice(start, this.i);
    return { type: T.HEREDOC, text, str: unindentHeredoc(text), num: 0, line, column };
  }
}

/** hashicorp/hcl v1 token.unindentHeredoc, applied to the whole heredoc token text (ends with "\n"). */
function unindentHeredoc(heredoc: string): string {
  const idx = heredoc.indexOf('\n');
  const unindent = heredoc.charCodeAt(2) === 45;
  const len = heredoc.length;
  if (!unindent) return heredoc.slice(idx + 1, Math.max(idx + 1, len - idx + 1));
  const lines = heredoc.slice(idx + 1, Math.max(idx + 1, len - idx + 2)).split('\n');
  const prefix = lines[lines.length - 1];
  for (const l of lines) {
    if (!l.startsWith(prefix)) {
      return trimRightSpaceTab(heredoc.slice(idx + 1, Math.max(idx + 1, len - idx + 1)));
    }
  }
  const out: string[] = [];
  for (let k = 0; k < lines.length - 1; k++) out.push(lines[k].slice(prefix.length));
  out.push('');
  return out.join('\n');
}

function trimRightSpaceTab(s: string): string {
  let e = s.length;
  while (e > 0 && (s.charCodeAt(e - 1) === 32 || s.charCodeAt(e - 1) === 9)) e--;
  return s.slice(0, e);
}

/** Value of an HCL1 integer literal (Go strconv.ParseInt(text, 0, 64) semantics). */
function intValue(text: string, p: SourcePosition): number {
  const neg = text.charCodeAt(0) === 45;
  const body = neg ? text.slice(1) : text;
  let big: bigint;
  if (body.length > 1 && body.charCodeAt(0) === 48) {
    const c1 = body.charCodeAt(1);
    if (c1 === 120 || c1 === 88) {
      if (body.length <= 15) {
        const v = parseInt(body.slice(2), 16);
        return neg && v !== 0 ? -v : v;
      }
      big = BigInt('0x' + body.slice(2));
    } else {
      for (let k = 1; k < body.length; k++) {
        const d = body.charCodeAt(k);
        if (d === 56 || d === 57) {
          throw new HclError(`invalid number ${quoteToken(text)}: a leading 0 means octal, which has no digit 8 or 9`, p, 'remove the leading zero');
        }
      }
      if (body.length <= 17) {
        const v = parseInt(body.slice(1), 8);
        return neg && v !== 0 ? -v : v;
      }
      big = BigInt('0o' + body.slice(1));
    }
  } else {
    if (body.length <= 15) {
      const v = parseInt(body, 10);
      return neg && v !== 0 ? -v : v;
    }
    big = BigInt(body);
  }
  if (neg) big = -big;
  if (big > INT64_MAX || big < INT64_MIN) {
    // hcl/decoder.go decodeInt: strconv.ParseInt(text, 0, 0), a 64-bit int on Consul's platforms.
    throw new HclError(`strconv.ParseInt: parsing ${quoteToken(text)}: value out of range`, p);
  }
  return Number(big);
}
