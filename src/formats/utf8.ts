// Config-entry bytes to text, refusing what is not UTF-8: Consul's HCL and JSON scanners stop at
// "illegal UTF-8 encoding", so a file decoded with replacement characters would be applied as an
// entry `consul config write` never sends (a Latin-1 editor turns "équipe" into "\uFFFDquipe").
import { isUtf8 } from 'node:buffer';

/** The text of `bytes`, or where the first byte that is not UTF-8 sits (1-based line and column, counted in characters before it). */
export function utf8Text(bytes: Uint8Array): { ok: true; text: string } | { ok: false; line: number; column: number; byte: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer)) return { ok: true, text: buffer.toString('utf8') };
  const at = firstInvalid(buffer);
  const before = buffer.toString('utf8', 0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (before.charCodeAt(i) === 10) line++;
  return { ok: false, line, column: [...before.slice(lineStart)].length + 1, byte: buffer[at] };
}

/** The message for a file that is not UTF-8, as the readers report it. */
export function notUtf8Message(at: { line: number; column: number; byte: number }): string {
  return `not UTF-8 text: byte 0x${at.byte.toString(16).padStart(2, '0')} at line ${at.line}, column ${at.column} (Consul refuses it: illegal UTF-8 encoding); save the file as UTF-8`;
}

/** Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalid(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
