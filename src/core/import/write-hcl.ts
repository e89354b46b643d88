// An entry as HCL (version 1), the dialect `consul config write` reads: CamelCase keys, nested
// objects as blocks, lists of objects as lists of `{ … }`, `=` aligned within a block.

/** Text of one entry laid out by orderedValue (durations as text). */
export function writeHcl(entry: Record<string, unknown>): string {
  return block(entry, '');
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function key(k: string): string {
  return IDENT.test(k) ? k : quote(k);
}

function block(obj: Record<string, unknown>, indent: string): string {
  const rendered = Object.entries(obj)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ name: key(k), nested: isObject(v), text: isObject(v) ? objectLiteral(v, indent) : value(v, indent) }));
  // `=` aligned over each run of one-line assignments, as `hclfmt` aligns them.
  const aligned = (r: (typeof rendered)[number]) => !r.nested && !r.text.includes('\n');
  const lines: string[] = [];
  let width = 0;
  rendered.forEach((r, i) => {
    if (r.nested) {
      lines.push(`${indent}${r.name} ${r.text}`);
      return;
    }
    if (!aligned(r)) width = 0;
    else if (width === 0 || !aligned(rendered[i - 1])) {
      width = 0;
      for (let j = i; j < rendered.length && aligned(rendered[j]); j++) width = Math.max(width, rendered[j].name.length);
    }
    lines.push(`${indent}${aligned(r) ? r.name.padEnd(width) : r.name} = ${r.text}`);
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function objectLiteral(obj: Record<string, unknown>, indent: string): string {
  if (Object.keys(obj).length === 0) return '{}';
  return `{\n${block(obj, `${indent}  `)}${indent}}`;
}

function value(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => !isObject(x) && !Array.isArray(x))) {
      const flat = `[${v.map((x) => value(x, indent)).join(', ')}]`;
      if (flat.length <= 80) return flat;
    }
    const inner = `${indent}  `;
    return `[\n${v.map((x) => `${inner}${isObject(x) ? objectLiteral(x, inner) : value(x, inner)},\n`).join('')}${indent}]`;
  }
  if (isObject(v)) return objectLiteral(v, indent);
  if (typeof v === 'string') return heredoc(v) ?? quote(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // null has no HCL spelling: the round-trip check names the field.
  return 'null';
}

/** HCL1 numbers: integers exactly, floats in plain decimal notation (no exponent). */
function numberText(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '');
}

/**
 * A multi-line text (a PEM certificate, an Envoy JSON snippet ending in a newline) as a heredoc,
 * readable as the user pasted it. HCL1 keeps a heredoc's lines verbatim, so only text of plain
 * lines that ends with a newline and never holds the marker line qualifies.
 */
function heredoc(s: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
  if (!s.endsWith('\n') || s.length < 2 || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(s)) return undefined;
  const lines = s.slice(0, -1).split('\n');
  if (lines.length < 2) return undefined;
  // HCL1's scanner ends a heredoc at the first line that ends with the marker, and a `<<` heredoc
  // keeps what comes before it on that line (token.go unindentHeredoc): the closing marker starts
  // its line, and no line of the text may end with it.
  const marker = ['EOF', 'EOT', 'END_OF_TEXT'].find((m) => lines.every((l) => !l.endsWith(m)));
  return marker ? `<<${marker}\n${s}${marker}` : undefined;
}

/** A double-quoted HCL string; control characters and non-printing ones as \uXXXX. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
