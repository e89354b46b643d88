// Small, safe Markdown pieces for the rendered reports: names from Consul, Prometheus labels or
// the catalog are data, never markup, and every body fits GitHub's size limit. The one escaping of
// text for Markdown: every report that writes a PR, an issue or a comment uses these.
import { escapeControl } from '../model/terminal-text.ts';
import { noReferences } from './github-references.ts';

/** GitHub refuses a PR or issue body longer than this (characters). */
export const GITHUB_BODY_LIMIT = 65_536;

/**
 * What fitBody fits a proposal's body to by default: GitHub's limit less room for the hidden version
 * line settle-proposal.ts appends to every proposal body (92 characters): fitted to the whole limit,
 * a body cut there passed it by that line, and GitHub refused the pull request (422).
 */
export const PROPOSAL_BODY_LIMIT = GITHUB_BODY_LIMIT - 128;

/** Where a pull request body cut by fitBody has the rest: the change itself is never cut. */
export const PULL_REQUEST_REST = "the change itself is whole in this pull request's Files changed tab";

/**
 * One line of visible text: line breaks become spaces, and every other control character and
 * bidirectional mark is shown as the terminal shows it (`\u202e`, terminal-text.ts), so a name cannot
 * show its characters in another order in a comment either.
 */
function oneLine(s: string): string {
  return escapeControl(s.replace(/[\r\n]+/g, ' '));
}

/**
 * Text safe inside a table cell, a sentence or a quote: no markup, no HTML, no line breaks. `&`, `<`
 * and `>` become entities (an entity is text both in Markdown and in HTML). What starts markup inside
 * a line gets a backslash: `\\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~`. `_` too: GitHub does not
 * emphasise inside a word (`a_b_c` stays as it is), but does at a word's edge (`a _b_ c`, `__init__`).
 * `(`, `!` and `#` mean nothing without a `[` before them or a line start, which the text never is.
 * `@name` and `#123` would mention and link on GitHub: github-references.ts makes them inert.
 */
export function text(s: string): string {
  return noReferences(
    oneLine(s)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]|~]/g, '\\$&'),
  );
}

/**
 * Text inside an HTML element or attribute (`<code>`, `<summary>`, `href`): GitHub reads a
 * `<summary>` line as raw HTML, where a backslash shows, and the same element in a list item as
 * Markdown, where `*a*` is emphasis. Entities are text in both: every character either would read
 * as markup becomes one.
 */
export function html(s: string): string {
  return oneLine(s).replace(/[&<>"'\\`*_[\]|~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A code span that cannot be closed early by the value, nor split a table row (GFM reads `\|` as `|`). */
export function code(s: string): string {
  const clean = oneLine(s).replace(/`/g, "'").replace(/\|/g, '\\|');
  return `\`${clean}\``;
}

/**
 * A fenced block whose fence is longer than any backtick run inside it. Each line's controls are
 * shown escaped, except a tab and a CRLF line end: a user's file (in a PR's diff) may have either.
 */
export function fence(lang: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  const lines = body
    .replace(/\n$/, '')
    .split(/\r?\n/)
    .map((l) => l.split('\t').map(escapeControl).join('\t'));
  return `${f}${lang}\n${lines.join('\n')}\n${f}`;
}

/** `2026-11-30 10:05 UTC`; `never` for undefined. */
export function when(ms: number | undefined): string {
  if (ms === undefined) return 'never';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 1234567 → `1,234,567` (locale-independent). */
export function count(n: number | undefined): string {
  if (n === undefined) return 'n/a';
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `7d`, `36h`, `90m`: a window length as a user writes it. */
export function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m % 1440 === 0) return `${m / 1440}d`;
  if (m % 60 === 0) return `${m / 60}h`;
  return `${m}m`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** At most `max` items shown, then `… and N more <noun>`. */
export function capped<T>(items: readonly T[], max: number): { shown: T[]; rest: number } {
  return { shown: items.slice(0, max), rest: Math.max(0, items.length - max) };
}

/**
 * Cuts a body that would still exceed the limit (a last resort: the sections are capped first),
 * keeping the hidden marker, which must survive any cut. The cut falls at a line's end (never inside
 * a table row) unless the line is long, never inside a character; it closes a code fence it leaves open (else the note below, and the
 * marker, would be shown as code), and the note says that the body was cut there and, with
 * `rest`, where the whole of it is.
 */
export function fitBody(body: string, marker: string, limit = PROPOSAL_BODY_LIMIT, rest?: string): string {
  if (body.length <= limit) return body;
  const note = `\n\n_… cut here: the rest of this report is longer than GitHub allows in one body (${GITHUB_BODY_LIMIT.toLocaleString('en-US')} characters)${rest ? `; ${rest}` : ''}._\n`;
  const tail = marker ? `\n${marker}\n` : '';
  const room = limit - note.length - tail.length;
  for (let take = room; ;) {
    let kept = body.slice(0, take);
    const lineEnd = kept.lastIndexOf('\n');
    // At the line's end unless that loses much (one long line: a one-line JSON file's diff), and never between a surrogate pair.
    if (lineEnd > 0 && take - lineEnd <= 2_000) kept = kept.slice(0, lineEnd);
    else if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
    const open = openFence(kept);
    const closed = open ? `${kept}\n${open}` : kept;
    if (closed.length <= room || take <= 0) return closed + note + tail;
    take -= closed.length - room;
  }
}

/** The fence a Markdown text leaves open at its end (```` ``` ```` or `~~~`, as long as its opening), if any. */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    if (!open) open = m[1];
    else if (m[1][0] === open[0] && m[1].length >= open.length && line.trim() === m[1]) open = undefined;
  }
  return open;
}
