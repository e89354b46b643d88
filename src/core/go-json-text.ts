// Go's encoding/json as a client sees it, without I/O: the scanner's syntax error texts (scanner.go),
// json.Unmarshal's whole-input check (checkValid) and json.Decoder's first-value read (stream.go).
// Shared by the dev server's PUT body decoding and the write-time checks that parse JSON the way
// Consul does (AccessLogsConfig.Validate's JSONFormat).
import { ConsulGitopsError } from '../errors.ts';

/** The outcome of reading the first JSON value of a stream, as json.NewDecoder(r).Decode(&v) does. */
export type GoJsonOutcome =
  { ok: true; /** the text of the first value */ text: string; type: 'map' | 'slice' | 'string' | 'float64' | 'bool' | 'nil' } | { ok: false; message: string };

const WS = new Set([' ', '\t', '\r', '\n']);

/** strconv.IsPrint for U+0000–U+00FF, the only runes a byte can be: graphic Latin-1, not C0/C1, DEL, NBSP or SHY. */
const isPrintLatin1 = (b: number) => (b >= 0x20 && b < 0x7f) || (b >= 0xa1 && b <= 0xff && b !== 0xad);

/**
 * scanner.go quoteChar. Go's scanner reads bytes: a character outside ASCII is named by the first byte
 * of its UTF-8 encoding, quoted as strconv.Quote quotes string(rune(byte)) (so 'é' is named 'Ã').
 */
export function goQuoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const b = Buffer.from(c, 'utf8')[0];
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };
  if (named[b] !== undefined) return `'${named[b]}'`;
  if (isPrintLatin1(b)) return `'${String.fromCharCode(b)}'`;
  return b < 0x80 ? `'\\x${b.toString(16).padStart(2, '0')}'` : `'\\u00${b.toString(16).padStart(2, '0')}'`;
}

/** The scanner stopped: at a character it cannot take (a SyntaxError) or at the end of the input. */
type ScanStop = { syntax: string } | { eof: true };

/** Unwinds the recursive walk to scanValue, which turns it back into a value. */
class Stop extends ConsulGitopsError {
  constructor(readonly stop: ScanStop) {
    super('syntax', 'syntax' in stop ? stop.syntax : 'unexpected end of JSON input');
  }
}

/**
 * Walks one JSON value starting at `from` (after white space) with Go's scanner states and texts.
 * Returns the index after the value, or where and why it stopped.
 */
function scanValue(text: string, from: number): { end: number } | ScanStop {
  let i = from;
  const n = text.length;
  const bad = (context: string): never => {
    throw new Stop({ syntax: `invalid character ${goQuoteChar(String.fromCodePoint(text.codePointAt(i) ?? 0))} ${context}` });
  };
  const need = () => {
    if (i >= n) throw new Stop({ eof: true });
  };
  const skipWs = () => {
    while (i < n && WS.has(text[i])) i++;
  };
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

  function value(): void {
    skipWs();
    need();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || isDigit(c)) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    bad('looking for beginning of value');
  }
  function literal(word: string): void {
    i++;
    for (let k = 1; k < word.length; k++, i++) {
      need();
      if (text[i] !== word[k]) bad(`in literal ${word} (expecting ${goQuoteChar(word[k])})`);
    }
  }
  function digits(): number {
    const start = i;
    while (i < n && isDigit(text[i])) i++;
    return i - start;
  }
  function number(): void {
    if (text[i] === '-') {
      i++;
      need();
      if (!isDigit(text[i])) bad('in numeric literal');
    }
    if (text[i] === '0') i++;
    else digits();
    if (i < n && text[i] === '.') {
      i++;
      need();
      if (digits() === 0) bad('after decimal point in numeric literal');
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      need();
      if (text[i] === '+' || text[i] === '-') {
        i++;
        need();
      }
      if (digits() === 0) bad('in exponent of numeric literal');
    }
  }
  function string(): void {
    i++;
    for (;;) {
      need();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        need();
        const e = text[i];
        if ('"\\/bfnrt'.includes(e)) {
          i++;
          continue;
        }
        if (e !== 'u') bad('in string escape code');
        i++;
        for (let k = 0; k < 4; k++, i++) {
          need();
          if (!/[0-9a-fA-F]/.test(text[i])) bad('in \\u hexadecimal character escape');
        }
        continue;
      }
      if (c < ' ') bad('in string literal');
      i++;
    }
  }
  function object(): void {
    i++;
    skipWs();
    need();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipWs();
      need();
      if (text[i] !== '"') bad('looking for beginning of object key string');
      string();
      skipWs();
      need();
      if (text[i] !== ':') bad('after object key');
      i++;
      value();
      skipWs();
      need();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      bad('after object key:value pair');
    }
  }
  function array(): void {
    i++;
    skipWs();
    need();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skipWs();
      need();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      bad('after array element');
    }
  }

  try {
    value();
    return { end: i };
  } catch (e) {
    if (e instanceof Stop) return e.stop;
    throw e;
  }
}

/**
 * json.Unmarshal's error text for `text`, or undefined when it is one valid JSON value: checkValid
 * scans the whole input first, so a truncated value (or nothing at all) is "unexpected end of JSON
 * input" and anything but white space after the value is "invalid character 'x' after top-level
 * value". The target here is one that takes any value (json.RawMessage, interface{}).
 */
export function goJsonUnmarshalError(text: string): string | undefined {
  const walked = scanValue(text, 0);
  if ('eof' in walked) return 'unexpected end of JSON input';
  if ('syntax' in walked) return walked.syntax;
  let i = walked.end;
  while (i < text.length && WS.has(text[i])) i++;
  if (i < text.length) return `invalid character ${goQuoteChar(String.fromCodePoint(text.codePointAt(i) ?? 0))} after top-level value`;
  return undefined;
}

function firstValue(text: string): GoJsonOutcome & { ok: true } {
  const c = text[0];
  const type = c === '{' ? 'map' : c === '[' ? 'slice' : c === '"' ? 'string' : c === 't' || c === 'f' ? 'bool' : c === 'n' ? 'nil' : 'float64';
  return { ok: true, text, type };
}

/**
 * json.NewDecoder(body).Decode(&v): only the FIRST value is read (trailing bytes are never looked at);
 * an empty stream is `EOF`, one cut short `unexpected EOF`, and syntax errors carry the scanner's text.
 */
export function goJsonDecodeFirst(body: string): GoJsonOutcome {
  // A body that is one valid JSON text is what almost every client sends: JSON.parse accepts
  // exactly the JSON grammar the scanner walks, so the first value is the whole body. The
  // scanner is kept for what JSON.parse refuses (Go's error texts, trailing bytes after a value).
  try {
    JSON.parse(body);
    let start = 0;
    let end = body.length;
    while (WS.has(body[start])) start++;
    while (WS.has(body[end - 1])) end--;
    return firstValue(body.slice(start, end));
  } catch {
    // fall through to the scanner, which names the error as Go does
  }
  let start = 0;
  while (start < body.length && WS.has(body[start])) start++;
  if (start >= body.length) return { ok: false, message: 'EOF' };
  const walked = scanValue(body, start);
  if ('eof' in walked) return { ok: false, message: 'unexpected EOF' };
  if ('syntax' in walked) return { ok: false, message: walked.syntax };
  return firstValue(body.slice(start, walked.end));
}
