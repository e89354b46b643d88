// The attribute tree as indented lines, as `terraform plan` prints nested values: one line per
// field or element, `{`/`[` opening and closing on lines of their own, keys aligned.
import { escapeControl } from '../../model/errors.ts';
import { stringifyApiJson } from '../api-json.ts';
import { largestOf } from './append-all.ts';
import type { AttributeNode } from './attributes.ts';
import { Sensitive } from './sensitive.ts';

export type LineMark = '+' | '-' | '~' | ' ';

export interface AttributeLine {
  mark: LineMark;
  depth: number;
  text: string;
  /** A closing `}` or `]`: printed without its mark in the terminal, as Terraform does. */
  closing?: true;
}

/**
 * `inline`: a replaced value is one `~ key = before → after` line (the terminal).
 * `diff`: it is a `-` line and a `+` line (a Markdown diff block, which colours only those).
 */
export type ChangeStyle = 'inline' | 'diff';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const showKey = (k: string) => (IDENTIFIER.test(k) ? k : JSON.stringify(k));
/** Any value as one line of JSON; control characters escaped (a value is anyone's text). */
function scalar(v: unknown): string {
  if (v instanceof Sensitive) return String(v);
  if (typeof v === 'string') return escapeControl(JSON.stringify(v));
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return escapeControl(v === undefined ? 'null' : stringifyApiJson(v, 0));
}
const isContainer = (v: unknown) => typeof v === 'object' && v !== null && !(v instanceof Sensitive) && Object.keys(v).length > 0;

/** The widest key shown (a list's elements have none). */
const keyWidth = (keys: (string | undefined)[]) =>
  largestOf(
    0,
    keys.map((k) => (k === undefined ? 0 : showKey(k).length)),
  );

export function attributeLines(nodes: readonly AttributeNode[], style: ChangeStyle, hidden = 0): AttributeLine[] {
  const out: AttributeLine[] = [];
  appendNodes(out, nodes, style, hidden, 0, false);
  return out;
}

/** Appends in place: a list of hundreds of thousands of elements makes as many lines (append-all.ts). */
function appendNodes(out: AttributeLine[], nodes: readonly AttributeNode[], style: ChangeStyle, hidden: number, depth: number, list: boolean): void {
  const width = keyWidth(nodes.map((n) => n.key));
  for (const n of nodes) {
    const prefix = n.key === undefined ? '' : `${escapeControl(showKey(n.key).padEnd(width))} = `;
    const comma = n.key === undefined ? ',' : '';
    switch (n.op) {
      case 'add':
      case 'remove':
        appendValue(out, n.op === 'add' ? '+' : '-', prefix, n.value, comma, depth);
        break;
      case 'keep':
        out.push({ mark: ' ', depth, text: `${prefix}${scalar(n.value)}${comma}` });
        break;
      case 'change':
        if (style === 'inline') out.push({ mark: '~', depth, text: `${prefix}${scalar(n.before)} → ${scalar(n.after)}${comma}` });
        else out.push({ mark: '-', depth, text: `${prefix}${scalar(n.before)}${comma}` }, { mark: '+', depth, text: `${prefix}${scalar(n.after)}${comma}` });
        break;
      case 'nest':
        out.push({ mark: '~', depth, text: `${prefix}${n.list ? '[' : '{'}` });
        appendNodes(out, n.children, style, n.hidden, depth + 1, n.list);
        // Not the longest common subsequence (attributes.ts LIST_CELL_BUDGET): the reader is told.
        if (n.positional)
          out.push({
            mark: ' ',
            depth: depth + 1,
            text: `# (compared position by position: ${n.positional.before} elements before and ${n.positional.after} after differ, too many to match)`,
          });
        out.push({
          mark: ' ',
          depth,
          text: `${n.list ? ']' : '}'}${comma}`,
          closing: true,
        });
        break;
    }
  }
  if (hidden > 0) {
    out.push({ mark: ' ', depth, text: `# (${hidden} unchanged ${list ? 'element' : 'attribute'}${hidden === 1 ? '' : 's'} hidden)` });
  }
}

/** A whole value added or removed: every line carries the mark (appended in place, as above). */
function appendValue(out: AttributeLine[], mark: '+' | '-', prefix: string, value: unknown, comma: string, depth: number): void {
  if (!isContainer(value)) {
    out.push({ mark, depth, text: `${prefix}${scalar(value)}${comma}` });
    return;
  }
  const list = Array.isArray(value);
  const entries: [string | undefined, unknown][] = list
    ? (value as unknown[]).map((v) => [undefined, v])
    : Object.entries(value as object).filter(([, v]) => v !== undefined);
  const width = keyWidth(entries.map(([k]) => k));
  out.push({ mark, depth, text: `${prefix}${list ? '[' : '{'}` });
  for (const [k, v] of entries)
    appendValue(out, mark, k === undefined ? '' : `${escapeControl(showKey(k).padEnd(width))} = `, v, k === undefined ? ',' : '', depth + 1);
  out.push({ mark, depth, text: `${list ? ']' : '}'}${comma}`, closing: true });
}
