// The first step of Consul's PUT body decoding (decodeBodyDeprecated): `json.NewDecoder(body)
// .Decode(&raw)` into interface{}, then mapstructure into map[string]interface{}. This reproduces
// what a client can see of it: encoding/json's syntax error texts (scanner.go), `EOF` /
// `unexpected EOF`, that only the FIRST JSON value is read (trailing bytes are never looked at),
// and mapstructure's refusal of a top-level value that is not an object.
import { ConsulGitopsError } from '../errors.ts';

export type GoJsonOutcome =
  { ok: true; /** the text of the first value */ text: string; type: 'map' | 'slice' | 'string' | 'float64' | 'bool' | 'nil' } | { ok: false; message: string };

const WS = new Set([' ', '\t', '\r', '\n']);

/** scanner.go quoteChar. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c).slice(1, -1);
  return `'${q}'`;
}

class SyntaxErr extends ConsulGitopsError {
  constructor(message: string) {
    super('syntax', message);
  }
}
class Eof extends ConsulGitopsError {
  constructor(message = 'unexpected end of JSON input') {
    super('syntax', message);
  }
}

export function goJsonDecode(body: string): GoJsonOutcome {
  // A body that is one valid JSON text is what almost every client sends: JSON.parse accepts
  // exactly the JSON grammar the scanner below walks, so the first value is the whole body. The
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
  return scan(body);
}

function firstValue(text: string): GoJsonOutcome & { ok: true } {
  const c = text[0];
  const type = c === '{' ? 'map' : c === '[' ? 'slice' : c === '"' ? 'string' : c === 't' || c === 'f' ? 'bool' : c === 'n' ? 'nil' : 'float64';
  return { ok: true, text, type };
}

function scan(body: string): GoJsonOutcome {
  let i = 0;
  const n = body.length;
  const bad = (context: string): never => {
    throw new SyntaxErr(`invalid character ${quoteChar(body[i])} ${context}`);
  };
  const need = () => {
    if (i >= n) throw new Eof();
  };
  const skipWs = () => {
    while (i < n && WS.has(body[i])) i++;
  };

  function value(): void {
    skipWs();
    need();
    const c = body[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    bad('looking for beginning of value');
  }
  function literal(word: string): void {
    i++;
    for (let k = 1; k < word.length; k++, i++) {
      need();
      if (body[i] !== word[k]) bad(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
  }
  function digits(): number {
    const start = i;
    while (i < n && body[i] >= '0' && body[i] <= '9') i++;
    return i - start;
  }
  function number(): void {
    if (body[i] === '-') {
      i++;
      need();
      if (!(body[i] >= '0' && body[i] <= '9')) bad('in numeric literal');
    }
    if (body[i] === '0') i++;
    else digits();
    if (i < n && body[i] === '.') {
      i++;
      need();
      if (digits() === 0) bad('after decimal point in numeric literal');
    }
    if (i < n && (body[i] === 'e' || body[i] === 'E')) {
      i++;
      need();
      if (body[i] === '+' || body[i] === '-') {
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
      const c = body[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        need();
        const e = body[i];
        if ('"\\/bfnrt'.includes(e)) {
          i++;
          continue;
        }
        if (e !== 'u') bad('in string escape code');
        i++;
        for (let k = 0; k < 4; k++, i++) {
          need();
          if (!/[0-9a-fA-F]/.test(body[i])) bad('in \\u hexadecimal character escape');
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
    if (body[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipWs();
      need();
      if (body[i] !== '"') bad('looking for beginning of object key string');
      string();
      skipWs();
      need();
      if (body[i] !== ':') bad('after object key');
      i++;
      value();
      skipWs();
      need();
      if (body[i] === ',') {
        i++;
        continue;
      }
      if (body[i] === '}') {
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
    if (body[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skipWs();
      need();
      if (body[i] === ',') {
        i++;
        continue;
      }
      if (body[i] === ']') {
        i++;
        return;
      }
      bad('after array element');
    }
  }

  skipWs();
  if (i >= n) return { ok: false, message: 'EOF' };
  const start = i;
  try {
    value();
  } catch (e) {
    if (e instanceof Eof) return { ok: false, message: 'unexpected EOF' };
    if (e instanceof SyntaxErr) return { ok: false, message: e.message };
    throw e;
  }
  return firstValue(body.slice(start, i));
}
