// A JSON reader that keeps line and column of every value, so errors in JSON entry files point
// at the offending line, as they do for HCL and YAML.
import { quoteToken, type SourcePosition } from '../model/errors.ts';
import type { ParseResult, RawNode, RawObjectEntry } from './raw.ts';
import { ConsulGitopsError } from '../errors.ts';

class JsonSyntaxError extends ConsulGitopsError {
  constructor(
    message: string,
    readonly pos: SourcePosition,
    readonly hint?: string,
  ) {
    super('syntax', message);
  }
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const CURLY_QUOTES = new Set([0x201c, 0x201d, 0x2018, 0x2019]);
export const CURLY_QUOTE_HINT = 'replace the curly quotes (“ ”) with straight quotes (")';

/** The position of every value when `positions: false`: one shared object, for a reader that never reports where. */
const NO_POSITION: SourcePosition = Object.freeze({ line: 0, column: 0 });

/**
 * `positions: false`: every value and key at NO_POSITION, and a syntax problem too (the dev server
 * decoding a PUT body, whose answers never carry a position: a position object per value and key
 * was a tenth of what a write allocated).
 */
export function parseJson(text: string, options: { positions?: boolean } = {}): ParseResult {
  const p = new JsonReader(text, options.positions ?? true);
  try {
    p.skipSpace();
    const value = p.value(0);
    p.skipSpace();
    if (p.i < text.length) p.fail(`unexpected ${p.describe()} after the JSON value`);
    return { ok: true, documents: [value] };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, problems: [{ message: e.message, pos: e.pos, ...(e.hint ? { hint: e.hint } : {}) }] };
    throw e;
  }
}

class JsonReader {
  i = 0;
  private line = 1;
  private lineStart = 0;
  constructor(
    private readonly s: string,
    private readonly positions: boolean,
  ) {}

  pos(): SourcePosition {
    if (!this.positions) return NO_POSITION;
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  fail(message: string): never {
    const c = this.s.charCodeAt(this.i);
    throw new JsonSyntaxError(message, this.pos(), CURLY_QUOTES.has(c) ? CURLY_QUOTE_HINT : undefined);
  }

  describe(): string {
    return this.i >= this.s.length ? 'end of file' : quoteToken(String.fromCodePoint(this.s.codePointAt(this.i)!));
  }

  skipSpace(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 10) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === 32 || c === 9 || c === 13) this.i++;
      else return;
    }
  }

  value(depth: number): RawNode {
    if (depth > 500) this.fail('nesting too deep');
    const pos = this.pos();
    const c = this.s[this.i];
    if (c === '{') return this.object(depth, pos);
    if (c === '[') return this.array(depth, pos);
    if (c === '"') return { type: 'string', value: this.string(), pos };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(pos);
    // Each literal tried in turn, its node made only once it matches.
    if (this.s.startsWith('true', this.i)) {
      this.i += 4;
      return { type: 'bool', value: true, pos };
    }
    if (this.s.startsWith('false', this.i)) {
      this.i += 5;
      return { type: 'bool', value: false, pos };
    }
    if (this.s.startsWith('null', this.i)) {
      this.i += 4;
      return { type: 'null', pos };
    }
    this.fail(`unexpected ${this.describe()}: expected a JSON value`);
  }

  private object(depth: number, pos: SourcePosition): RawNode {
    this.i++;
    const entries: RawObjectEntry[] = [];
    this.skipSpace();
    if (this.s[this.i] === '}') {
      this.i++;
      return { type: 'object', entries, pos };
    }
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] !== '"') this.fail(`unexpected ${this.describe()}: expected a quoted key`);
      const keyPos = this.pos();
      const key = this.string();
      this.skipSpace();
      if (this.s[this.i] !== ':') this.fail(`unexpected ${this.describe()}: expected ":" after key ${quoteToken(key)}`);
      this.i++;
      this.skipSpace();
      entries.push({ key, keyPos, value: this.value(depth + 1) });
      this.skipSpace();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { type: 'object', entries, pos };
      }
      this.fail(`unexpected ${this.describe()}: expected "," or "}"`);
    }
  }

  private array(depth: number, pos: SourcePosition): RawNode {
    this.i++;
    const items: RawNode[] = [];
    this.skipSpace();
    if (this.s[this.i] === ']') {
      this.i++;
      return { type: 'list', items, pos };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { type: 'list', items, pos };
      }
      this.fail(`unexpected ${this.describe()}: expected "," or "]"`);
    }
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    let out = '';
    let chunk = start;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (Number.isNaN(c) || c === 10) this.fail('unterminated string');
      if (c === 34) {
        out += s.slice(chunk, this.i);
        this.i++;
        return out;
      }
      if (c < 32) this.fail('control character in string');
      if (c === 92) {
        out += s.slice(chunk, this.i);
        const e = s[this.i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else this.fail('invalid escape in string');
        chunk = this.i;
        continue;
      }
      this.i++;
    }
  }

  private number(pos: SourcePosition): RawNode {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('invalid number');
    // `consul config write` reads JSON through HCL1's JSON parser, whose decoder parses integers
    // with strconv.ParseInt(text, 0, 0) and the rest with strconv.ParseFloat(text, 64)
    // (hcl/decoder.go decodeInt/decodeFloat): a number out of range is an error, never null.
    const text = m[0];
    const value = Number(text);
    if (m[2] === undefined && m[3] === undefined) {
      if (!Number.isSafeInteger(value) && (BigInt(text) > INT64_MAX || BigInt(text) < INT64_MIN))
        throw new JsonSyntaxError(`strconv.ParseInt: parsing ${quoteToken(text)}: value out of range`, pos);
    } else if (!Number.isFinite(value)) throw new JsonSyntaxError(`strconv.ParseFloat: parsing ${quoteToken(text)}: value out of range`, pos);
    this.i += text.length;
    return { type: 'number', value, text, pos };
  }
}
