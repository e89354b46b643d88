// The Prometheus text parser as it was before it read lines in place (one string per line, a
// regex per value): the readable reference the optimized parser is held to, issues included.
import { excerptOf, type ParseIssue } from '../../src/stats/parse-issue.ts';

export type PromMetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** From the family's `# TYPE` line; absent when the family has none. */
  type?: PromMetricType;
  /** Milliseconds since the epoch, when the line carried one. */
  timestamp?: number;
}

export interface PrometheusParseResult {
  samples: PromSample[];
  /** `# HELP` text per family name, unescaped. */
  help: Map<string, string>;
  issues: ParseIssue[];
}

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// Go's strconv.ParseFloat, which Prometheus uses, also takes Inf/NaN in any case and "infinity".
const FLOAT_RE = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;
const TIMESTAMP_RE = /^-?\d+$/;

export function parsePrometheusText(text: string): PrometheusParseResult {
  const samples: PromSample[] = [];
  const help = new Map<string, string>();
  const types = new Map<string, PromMetricType>();
  const issues: ParseIssue[] = [];

  const input = typeof text === 'string' ? text : '';
  const names = new NameCache();
  // Lines are cut one at a time (\n and \r\n, a scrape saved on Windows must still parse) rather
  // than split up front: a 50 MB dump would otherwise be held twice.
  for (let index = 0, from = 0; from <= input.length; index++) {
    let to = input.indexOf('\n', from);
    if (to < 0) to = input.length;
    const raw = input.slice(from, to > from && input.charCodeAt(to - 1) === 13 ? to - 1 : to);
    from = to + 1;
    const trimmed = raw.trim();
    if (trimmed === '') continue; // recent Envoy puts a blank line after each family, older ones none
    if (trimmed.charCodeAt(0) === 35 /* # */) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(trimmed);
      if (!meta) continue; // any other comment is allowed by the format
      const [, kind, family, rest = ''] = meta;
      if (kind === 'HELP') {
        help.set(family, unescapeHelp(rest));
        continue;
      }
      const type = rest.trim();
      if (!TYPES.has(type)) pushIssue(issues, index, raw, `unknown metric type "${type}"`);
      else if (types.has(family) && types.get(family) !== type) pushIssue(issues, index, raw, `conflicting TYPE for ${family}`);
      else types.set(family, type as PromMetricType);
      continue;
    }
    const parsed = parseSampleLine(trimmed, names);
    if (typeof parsed === 'string') pushIssue(issues, index, raw, parsed);
    else samples.push(parsed);
  }

  // Types are attached after the whole input is read: a TYPE line placed after its samples (seen
  // in hand-concatenated scrapes) still types them, and _bucket/_sum/_count find their family.
  const typeByName = new Map<string, PromMetricType | undefined>();
  for (const s of samples) {
    let type = typeByName.get(s.name);
    if (type === undefined && !typeByName.has(s.name)) typeByName.set(s.name, (type = typeOf(s.name, types)));
    if (type) s.type = type;
  }
  return { samples, help, issues };
}

function pushIssue(issues: ParseIssue[], index: number, raw: string, reason: string): void {
  issues.push({ line: index + 1, reason, excerpt: excerptOf(raw) });
}

function typeOf(name: string, types: Map<string, PromMetricType>): PromMetricType | undefined {
  const own = types.get(name);
  if (own) return own;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!m) return undefined;
  const family = types.get(m[1]);
  if (family === 'histogram') return 'histogram';
  if (family === 'summary' && m[2] !== 'bucket') return 'summary';
  return undefined;
}

/**
 * Metric names repeat on every line of a scrape: each distinct name is checked against the
 * format's rules once (a 50 MB dump has a few hundred distinct names).
 */
class NameCache {
  private readonly metric = new Map<string, boolean>();
  /**
   * Parsed label sets by their exact text from `{` to `}`: a scrape repeats one label set on
   * every metric of a sidecar, so each distinct text is parsed once and its labels object shared
   * (read-only for callers). Only sets that parsed cleanly are kept; parsing is deterministic left
   * to right, so the same text at the start of a line always parses the same way.
   */
  readonly labelSets = new Map<string, LabelSet>();
  validMetric(name: string): boolean {
    let ok = this.metric.get(name);
    if (ok === undefined) this.metric.set(name, (ok = METRIC_NAME_RE.test(name)));
    return ok;
  }
}

interface LabelSet {
  labels: Record<string, string>;
  /** The metric name quoted inside the braces (Prometheus 3 UTF-8 names), if it was there. */
  name?: string;
}

/** Returns the sample, or a reason string when the line is malformed. */
function parseSampleLine(line: string, names: NameCache): PromSample | string {
  let pos = 0;
  let name = '';
  let labels: Record<string, string> = {};
  let labelCount = 0;

  while (pos < line.length && !isNameEnd(line.charCodeAt(pos))) pos++;
  name = line.slice(0, pos);
  const brace = pos;
  let cachedKey: string | undefined;
  if (line.charCodeAt(pos) === 123 /* { */) {
    const close = line.indexOf('}', pos);
    if (close > 0) {
      cachedKey = line.slice(pos, close + 1);
      const known = names.labelSets.get(cachedKey);
      if (known) {
        labels = known.labels;
        if (known.name !== undefined) name = known.name;
        pos = close + 1;
      }
    }
  }
  if (pos === brace && line[pos] === '{') {
    const nameBefore = name;
    pos++;
    // Label set: name="value" pairs, commas between, optional trailing comma. Newer exposition
    // (Prometheus 3 UTF-8 names) may also put the quoted metric name first inside the braces.
    for (;;) {
      pos = skipSpaces(line, pos);
      if (line[pos] === '}') {
        pos++;
        break;
      }
      let key: string;
      let quotedKey = false;
      if (line[pos] === '"') {
        const q = readQuoted(line, pos);
        if (q === undefined) return UNTERMINATED;
        key = q;
        pos = quotedEnd;
        quotedKey = true;
      } else {
        // [a-zA-Z_][a-zA-Z0-9_]*, checked while scanning (no regex per label).
        const from = pos;
        let valid = true;
        for (; pos < line.length; pos++) {
          const c = line.charCodeAt(pos);
          if (isLabelNameEnd(c)) break;
          if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (pos > from && c >= 48 && c <= 57))) valid = false;
        }
        if (pos === from) return 'expected a label name';
        key = line.slice(from, pos);
        if (!valid) return `invalid label name "${key}"`;
      }
      pos = skipSpaces(line, pos);
      if (quotedKey && name === '' && labelCount === 0 && (line[pos] === ',' || line[pos] === '}')) {
        name = key; // {"metric.name", ...}
      } else {
        if (line[pos] !== '=') return `expected "=" after label ${key}`;
        pos = skipSpaces(line, pos + 1);
        if (line[pos] !== '"') return `label ${key} value is not quoted`;
        const v = readQuoted(line, pos);
        if (v === undefined) return UNTERMINATED;
        pos = quotedEnd;
        if (labelCount > 0 && Object.prototype.hasOwnProperty.call(labels, key)) return `duplicate label ${key}`;
        labelCount++;
        setLabel(labels, key, v);
      }
      pos = skipSpaces(line, pos);
      if (line[pos] === ',') {
        pos++;
        continue;
      }
      if (line[pos] === '}') {
        pos++;
        break;
      }
      return 'expected "," or "}" in label set';
    }
    const text = line.slice(brace, pos);
    if (text === cachedKey) names.labelSets.set(text, name === nameBefore ? { labels } : { labels, name });
  }
  if (name === '') return 'missing metric name';
  if (!names.validMetric(name) && !line.startsWith('{')) return `invalid metric name "${excerptOf(name)}"`;

  if (pos < line.length && !isSpace(line.charCodeAt(pos))) return 'expected whitespace before the value';
  // The whitespace-separated fields after the name: the value, an optional timestamp, nothing more.
  const n = line.length;
  while (pos < n && isSpace(line.charCodeAt(pos))) pos++;
  if (pos >= n) return 'missing value';
  const valueFrom = pos;
  let digitsOnly = true;
  for (; pos < n; pos++) {
    const c = line.charCodeAt(pos);
    if (c < 48 || c > 57) {
      if (isSpace(c)) break;
      digitsOnly = false;
    }
  }
  const valueText = line.slice(valueFrom, pos);
  while (pos < n && isSpace(line.charCodeAt(pos))) pos++;
  let stampText: string | undefined;
  if (pos < n) {
    const stampFrom = pos;
    while (pos < n && !isSpace(line.charCodeAt(pos))) pos++;
    stampText = line.slice(stampFrom, pos);
    while (pos < n && isSpace(line.charCodeAt(pos))) pos++;
    if (pos < n) return 'trailing garbage after value and timestamp';
  }
  // A plain integer (most counters) needs no regex.
  if (!digitsOnly && !FLOAT_RE.test(valueText)) return `invalid value "${excerptOf(valueText)}"`;
  const sample: PromSample = { name, labels, value: digitsOnly ? Number(valueText) : parseFloatGo(valueText) };
  if (stampText !== undefined) {
    if (!TIMESTAMP_RE.test(stampText)) return `invalid timestamp "${excerptOf(stampText)}"`;
    sample.timestamp = Number(stampText);
  }
  return sample;
}

// The line is trimmed already; whitespace as JavaScript's \s sees it, ASCII first for speed.
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || (c < 128 ? c >= 10 && c <= 13 : /\s/.test(String.fromCharCode(c)));
}

/** A metric name ends at whitespace or `{`. */
function isNameEnd(c: number): boolean {
  return c === 123 || isSpace(c);
}

/** An unquoted label name ends at whitespace, `=`, `,`, `}` or `"`. */
function isLabelNameEnd(c: number): boolean {
  return c === 61 || c === 44 || c === 125 || c === 34 || isSpace(c);
}

function parseFloatGo(s: string): number {
  const n = Number(s); // FLOAT_RE has vetted s: only the Inf/NaN spellings need Go's rules
  if (n === n) return n;
  const lower = s.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'nan') return Number.NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(s);
}

function skipSpaces(line: string, pos: number): number {
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  return pos;
}

const UNTERMINATED = 'unterminated quoted string';
/** Where the last string readQuoted returned ended (one per label: no object allocated for it). */
let quotedEnd = 0;

/**
 * Reads a double-quoted string at `start` (undefined when unterminated; its end is in
 * `quotedEnd`); label values escape only `\\`, `\"` and `\n`.
 */
function readQuoted(line: string, start: number): string | undefined {
  const close = line.indexOf('"', start + 1);
  if (close >= 0) {
    const backslash = line.indexOf('\\', start + 1);
    if (backslash < 0 || backslash > close) {
      quotedEnd = close + 1;
      return line.slice(start + 1, close);
    }
  }
  let out = '';
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      quotedEnd = i + 1;
      return out;
    }
    if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) break;
      // Unknown escapes are kept verbatim rather than rejected: losing a sample over a stray
      // backslash would hide traffic, which is worse than a slightly odd label value.
      out += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
      i++;
      continue;
    }
    out += c;
  }
  return undefined;
}

/** HELP text escapes only `\\` and `\n`. */
function unescapeHelp(s: string): string {
  return s.replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** `__proto__` as a label name must become an own property, not the object's prototype. */
function setLabel(labels: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(labels, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    labels[key] = value;
  }
}
