// JSON from Consul without silent precision loss.
//
// Choice: integers outside ±(2^53-1) are parsed as `bigint` (exact), everything else as JSON.parse
// would. `stringifyApiJson` (src/core/api-json.ts) writes bigints back as exact JSON numbers, so a
// live entry round-trips byte-exact. Consul's `Hash` (a uint64, HashConfigEntry in agent/structs/config_entry.go) is
// additionally removed from config entries by the client (`dropServerHash`), as the Go api client
// and `consul config read` do: it is server-computed, meaningless for a diff, and would otherwise
// be the one bigint that most callers meet. Other big integers (opaque proxy-defaults `Config`
// values) stay as bigint.
//
// Fast path: an integer beyond 2^53 needs at least 16 digits; text whose every run of 16 or more
// digits is a server `Hash` goes straight to JSON.parse. Consul writes every entry's `Hash` just
// before its `CreateIndex` (the server struct's field order), and the client drops `Hash` anyway
// (its value from JSON.parse is then never read): otherwise every config-entry response would take
// the slow exact parser. One scan of the text, no copy of it (a list of 10,000 entries is megabytes).
import { ConsulGitopsError } from '../../errors.ts';

const LONG_DIGITS = /\d{16,}/g;

/**
 * True when every run of 16 or more digits in `text` is an entry's `"Hash":N,"CreateIndex"` value.
 * `test`, not `exec`: a list of 10,000 entries has 10,000 hashes, and a match array and string per
 * hash were a fifth of what parsing the list allocated. A run's end is where the (greedy) match
 * stopped; its start is found walking back over its digits.
 */
export function onlyServerHashes(text: string): boolean {
  LONG_DIGITS.lastIndex = 0;
  while (LONG_DIGITS.test(text)) {
    const end = LONG_DIGITS.lastIndex;
    let start = end - 16;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    if (!text.endsWith('"Hash":', start) || !text.startsWith(',"CreateIndex"', end)) return false;
  }
  return true;
}

/** 0-9, as \d matches without the `u` flag. */
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function parseConsulJson(text: string): unknown {
  if (onlyServerHashes(text)) return JSON.parse(text);
  const parser = new BigJsonParser(text);
  const value = parser.value();
  parser.end();
  return value;
}

/** Removes the server-computed `Hash` from a config entry (returns a shallow copy). */
export function dropServerHash<T extends Record<string, unknown>>(entry: T): T {
  if (!('Hash' in entry)) return entry;
  const { Hash: _hash, ...rest } = entry;
  return rest as T;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

class BigJsonParser {
  #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  value(): unknown {
    this.#ws();
    const c = this.#text[this.#pos];
    if (c === '{') return this.#object();
    if (c === '[') return this.#array();
    if (c === '"') return this.#string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.#number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.#text.startsWith(word, this.#pos)) {
        this.#pos += word.length;
        return v;
      }
    }
    return this.#fail('unexpected token');
  }

  end(): void {
    this.#ws();
    if (this.#pos !== this.#text.length) this.#fail('unexpected data after JSON value');
  }

  #object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.#pos++;
    if (this.#peekAfterWs() === '}') return (this.#pos++, out);
    for (;;) {
      this.#ws();
      if (this.#text[this.#pos] !== '"') this.#fail('expected a key');
      const key = this.#string();
      this.#expect(':');
      // defineProperty: a `__proto__` key must become an own property, as with JSON.parse.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      if (this.#peekAfterWs() === ',') this.#pos++;
      else return (this.#expect('}'), out);
    }
  }

  #array(): unknown[] {
    const out: unknown[] = [];
    this.#pos++;
    if (this.#peekAfterWs() === ']') return (this.#pos++, out);
    for (;;) {
      out.push(this.value());
      if (this.#peekAfterWs() === ',') this.#pos++;
      else return (this.#expect(']'), out);
    }
  }

  #string(): string {
    const start = this.#pos;
    let i = start + 1;
    for (;;) {
      const c = this.#text[i];
      if (c === undefined) this.#fail('unterminated string');
      if (c === '\\') i += 2;
      else if (c === '"') break;
      else i++;
    }
    this.#pos = i + 1;
    // JSON.parse of the literal alone handles every escape exactly as the spec says.
    return JSON.parse(this.#text.slice(start, i + 1)) as string;
  }

  #number(): number | bigint {
    NUMBER.lastIndex = this.#pos;
    const m = NUMBER.exec(this.#text);
    if (!m) return this.#fail('invalid number');
    this.#pos += m[0].length;
    const n = Number(m[0]);
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n)) return BigInt(m[0]);
    return n;
  }

  #ws(): void {
    WS.lastIndex = this.#pos;
    WS.exec(this.#text);
    this.#pos = WS.lastIndex;
  }

  #peekAfterWs(): string | undefined {
    this.#ws();
    return this.#text[this.#pos];
  }

  #expect(c: string): void {
    if (this.#peekAfterWs() !== c) this.#fail(`expected '${c}'`);
    this.#pos++;
  }

  #fail(what: string): never {
    throw new ConsulGitopsError('syntax', `Invalid JSON: ${what} at position ${this.#pos}`);
  }
}
