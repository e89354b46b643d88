// encoding/json's texts as json.Unmarshal gives them (decode.go checkValid, scanner.go), the ones
// Consul wraps in AccessLogsConfig.Validate. Expected texts are Go's own: scanner_test.go's
// syntax-error table and decode_test.go (e.g. `{"X": "foo", "Y"}` → "invalid character '}' after object key").
import { describe, expect, it } from 'vitest';
import { goJsonUnmarshalError, goQuoteChar } from '../../../src/core/go-json-text.ts';

describe('goJsonUnmarshalError (json.Unmarshal)', () => {
  it('accepts one value of any type with white space around it', () => {
    for (const ok of ['{}', ' [1, -0.5e+3, "x", true, false, null] ', '"\\u00e9\\n"', '0', '\t{"a":{"b":[]}}\r\n'])
      expect(goJsonUnmarshalError(ok), ok).toBeUndefined();
  });

  it('reads the whole input: nothing, a value cut short, and bytes after the value are errors', () => {
    expect(goJsonUnmarshalError('')).toBe('unexpected end of JSON input');
    expect(goJsonUnmarshalError('   ')).toBe('unexpected end of JSON input');
    expect(goJsonUnmarshalError('{"a": 1')).toBe('unexpected end of JSON input');
    expect(goJsonUnmarshalError('{"a": 1} x')).toBe("invalid character 'x' after top-level value");
    expect(goJsonUnmarshalError('01')).toBe("invalid character '1' after top-level value");
    expect(goJsonUnmarshalError('{} {}')).toBe("invalid character '{' after top-level value");
  });

  it("names each syntax error with the scanner's context", () => {
    expect(goJsonUnmarshalError('{"X": "foo", "Y"}')).toBe("invalid character '}' after object key");
    expect(goJsonUnmarshalError('[1 2]')).toBe("invalid character '2' after array element");
    expect(goJsonUnmarshalError('{"a":1 "b":2}')).toBe("invalid character '\"' after object key:value pair");
    expect(goJsonUnmarshalError("{'a':1}")).toBe("invalid character '\\'' looking for beginning of object key string");
    expect(goJsonUnmarshalError('tru')).toBe('unexpected end of JSON input');
    expect(goJsonUnmarshalError('trux')).toBe("invalid character 'x' in literal true (expecting 'e')");
    expect(goJsonUnmarshalError('-x')).toBe("invalid character 'x' in numeric literal");
    expect(goJsonUnmarshalError('1.e')).toBe("invalid character 'e' after decimal point in numeric literal");
    expect(goJsonUnmarshalError('"\\x"')).toBe("invalid character 'x' in string escape code");
    expect(goJsonUnmarshalError('"a\nb"')).toBe("invalid character '\\n' in string literal");
  });
});

describe('goQuoteChar (scanner.go quoteChar)', () => {
  it('quotes as strconv.Quote does, naming a non-ASCII character by its first UTF-8 byte', () => {
    expect(goQuoteChar("'")).toBe("'\\''");
    expect(goQuoteChar('"')).toBe("'\"'");
    expect(goQuoteChar('\t')).toBe("'\\t'");
    expect(goQuoteChar('\x01')).toBe("'\\x01'");
    expect(goQuoteChar('\x7f')).toBe("'\\x7f'");
    // 'é' is C3 A9 in UTF-8; Go quotes rune(0xC3), 'Ã'. '日' is E6 97 A5: rune(0xE6), 'æ'.
    expect(goQuoteChar('é')).toBe("'Ã'");
    expect(goQuoteChar('日')).toBe("'æ'");
    // U+00A0 is C2 A0: rune(0xC2), which strconv.IsPrint accepts, so 'Â'.
    expect(goQuoteChar('\u00a0')).toBe("'Â'");
  });
});
