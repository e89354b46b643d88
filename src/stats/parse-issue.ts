// parse-issue: the shape every stats parser uses to report input it skipped, so callers can
// show "3 lines ignored" instead of the parsers throwing on a half-broken scrape.

export interface ParseIssue {
  /** 1-based line number, for the line-oriented formats (Envoy text, Prometheus text). */
  line?: number;
  /** JSON path such as `stats[3].value`, for the JSON format. */
  path?: string;
  reason: string;
  /** The offending input, cut short so a huge garbage line cannot bloat the report. */
  excerpt: string;
}

const EXCERPT_MAX = 120;

export function excerptOf(text: string): string {
  return text.length <= EXCERPT_MAX ? text : `${text.slice(0, EXCERPT_MAX)}…`;
}

/** Split into lines accepting \n and \r\n (a scrape saved on Windows must still parse). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}
