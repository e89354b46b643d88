// Go's %q for strings (strconv.Quote), as Consul's error texts quote names and URLs
// (fmt.Errorf("... %q ...")): printable runes as they are, `"` and `\` escaped, control characters
// as \a \b \f \n \r \t \v or \xHH, other unprintable runes as \uHHHH or \UHHHHHHHH.

const SHORT: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export function goQuote(s: string): string {
  let out = '"';
  for (const r of s) {
    const cp = r.codePointAt(0)!;
    if (r === '"' || r === '\\') out += `\\${r}`;
    else if (cp >= 0xd800 && cp <= 0xdfff)
      // A lone surrogate is no rune: Go sees its three (invalid) UTF-8 bytes.
      out += `\\x${hex(0xe0 | (cp >> 12), 2)}\\x${hex(0x80 | ((cp >> 6) & 0x3f), 2)}\\x${hex(0x80 | (cp & 0x3f), 2)}`;
    else if (PRINTABLE.test(r)) out += r;
    else if (SHORT[r]) out += SHORT[r];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}
