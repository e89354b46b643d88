// HCL1 (hashicorp/hcl v1, what `consul config write` reads) → position-aware RawNode tree.
import type { ParseResult } from '../raw.ts';
import { HclError } from './lexer.ts';
import { Parser } from './parser.ts';

export { CURLY_QUOTE_HINT } from './lexer.ts';

/**
 * Parse an HCL1 file. Never throws: returns `{ok:true, documents:[body]}` or the first syntax
 * problem with its exact 1-based line and column (columns in Unicode code points).
 */
export function parseHcl(text: string): ParseResult {
  try {
    if (typeof text !== 'string') {
      return { ok: false, problems: [{ message: 'input is not text', pos: { line: 1, column: 1 } }] };
    }
    return { ok: true, documents: [new Parser(text).parseFile()] };
  } catch (e) {
    if (e instanceof HclError) {
      const problem = e.hint ? { message: e.message, pos: e.pos, hint: e.hint } : { message: e.message, pos: e.pos };
      return { ok: false, problems: [problem] };
    }
    const message = e instanceof RangeError ? 'file is nested too deeply to parse' : `internal HCL parser error: ${String(e)}`;
    return { ok: false, problems: [{ message, pos: { line: 1, column: 1 } }] };
  }
}
