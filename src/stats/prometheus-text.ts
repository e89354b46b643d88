// prometheus-text: parse the Prometheus text exposition format (Envoy's `/stats/prometheus`,
// consul-dataplane's merged metrics) into PromSample records; bad lines are reported, never thrown.
import { excerptOf, type ParseIssue } from './parse-issue.ts';
import { setOwn } from '../model/own-key.ts';

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

export interface PrometheusParseOptions {
  /**
   * Which metric names the caller reads. A sample line whose name it rejects is skipped as soon as
   * the name is read (no labels split, no sample, no issue), and so is the `# HELP` of a family it
   * rejects; `# TYPE` lines are all read, since `_bucket`/`_sum`/`_count` take their family's type.
   * The samples are exactly those of the full parse whose name is kept. Called once per name.
   */
  keep?: (name: string) => boolean;
}

export function parsePrometheusText(text: string, options: PrometheusParseOptions = {}): PrometheusParseResult {
  const samples: PromSample[] = [];
  const help = new Map<string, string>();
  const types = new Map<string, PromMetricType>();
  const issues: ParseIssue[] = [];

  const input = typeof text === 'string' ? text : '';
  const names = new NameCache();
  const kept = options.keep === undefined ? undefined : new KeptNames(options.keep);
  // Lines are found one at a time (\n and \r\n, a scrape saved on Windows must still parse) and
  // read in place by index: no per-line copy, and a 50 MB dump is never held twice.
  const n = input.length;
  for (let index = 0, from = 0; from <= n; index++) {
    let to = input.indexOf('\n', from);
    if (to < 0) to = n;
    const lineFrom = from;
    const lineTo = to > from && input.charCodeAt(to - 1) === 13 ? to - 1 : to;
    from = to + 1;
    // The line without surrounding whitespace, as String.prototype.trim would cut it.
    let s = lineFrom;
    let e = lineTo;
    while (s < e && isSpace(input.charCodeAt(s))) s++;
    while (e > s && isSpace(input.charCodeAt(e - 1))) e--;
    if (s === e) continue; // recent Envoy puts a blank line after each family, older ones none
    if (input.charCodeAt(s) === 35 /* # */) {
      if (kept !== undefined && input.startsWith('# HELP ', s)) {
        let t = s + 7; // the family runs to the next whitespace, as in the pattern below
        while (t < e && !isSpace(input.charCodeAt(t))) t++;
        if (t > s + 7 && !kept.keeps(input.slice(s + 7, t))) continue;
      }
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(input.slice(s, e));
      if (!meta) continue; // any other comment is allowed by the format
      const [, kind, family, rest = ''] = meta;
      const raw = () => input.slice(lineFrom, lineTo);
      if (kind === 'HELP') {
        if (kept === undefined || kept.keeps(family)) help.set(family, unescapeHelp(rest));
        continue;
      }
      const type = rest.trim();
      if (!TYPES.has(type)) pushIssue(issues, index, raw(), `unknown metric type "${type}"`);
      else if (types.has(family) && types.get(family) !== type) pushIssue(issues, index, raw(), `conflicting TYPE for ${family}`);
      else types.set(family, type as PromMetricType);
      continue;
    }
    // A line opening with `{` names its metric inside the braces: it is read, then judged.
    const braced = input.charCodeAt(s) === 123; /* { */
    if (kept !== undefined && !braced && !kept.keepsNameAt(input, s, e)) continue;
    const parsed = parseSampleLine(input, s, e, names);
    if (typeof parsed === 'string') pushIssue(issues, index, input.slice(lineFrom, lineTo), parsed);
    else if (kept === undefined || !braced || kept.keeps(parsed.name)) samples.push(parsed);
  }

  // Types are attached after the whole input is read: a TYPE line placed after its samples (seen
  // in hand-concatenated scrapes) still types them, and _bucket/_sum/_count find their family.
  // The samples of one family come in a run sharing one name string: looked up once per run.
  const typeByName = new Map<string, PromMetricType | undefined>();
  let runName: string | undefined;
  let runType: PromMetricType | undefined;
  for (const s of samples) {
    if (s.name !== runName) {
      runName = s.name;
      runType = typeByName.get(runName);
      if (runType === undefined && !typeByName.has(runName)) typeByName.set(runName, (runType = typeOf(runName, types)));
    }
    if (runType) s.type = runType;
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
 * What repeats from line to line of a scrape, recognized in place instead of copied out again:
 * the metric name (a family's samples come in a run), label names (a handful per scrape), each
 * label's last value, and whole label sets.
 */
class NameCache {
  private readonly metric = new Map<string, boolean>();
  /** The previous line's metric name, known valid. */
  lastName = '';
  /**
   * Parsed label sets by their exact text from `{` to `}`: a scrape repeats one label set on
   * every metric of a sidecar, so each distinct text is parsed once and its labels object shared
   * (read-only for callers). Only sets that parsed cleanly are kept; parsing is deterministic left
   * to right, so the same text at the start of a line always parses the same way.
   */
  readonly labelSets = new Map<string, LabelSet>();
  /** Label names seen so far (bounded), by length; and the last unescaped value each one had. */
  private readonly keysByLength: number[][] = [];
  readonly keys: string[] = [];
  readonly lastValues: string[] = [];
  validMetric(name: string): boolean {
    let ok = this.metric.get(name);
    if (ok === undefined) this.metric.set(name, (ok = METRIC_NAME_RE.test(name)));
    return ok;
  }
  /** The index of the label name spelled by input[from, to), added when new (-1: table full). */
  keyIndex(input: string, from: number, to: number): number {
    const len = to - from;
    const same = this.keysByLength[len];
    if (same) {
      for (let k = 0; k < same.length; k++) {
        const i = same[k];
        if (input.startsWith(this.keys[i], from)) return i;
      }
    }
    if (this.keys.length >= MAX_KNOWN_KEYS) return -1;
    const i = this.keys.push(input.slice(from, to)) - 1;
    this.lastValues.push('');
    (this.keysByLength[len] ??= []).push(i);
    return i;
  }
}

/** The caller's `keep` answers, asked once per name; the last rejected name is recognized in place. */
class KeptNames {
  private readonly answers = new Map<string, boolean>();
  private rejected = '';
  private accepted = '';
  constructor(private readonly keep: (name: string) => boolean) {}
  keeps(name: string): boolean {
    let ok = this.answers.get(name);
    if (ok === undefined) this.answers.set(name, (ok = this.keep(name) === true));
    return ok;
  }
  /** Whether the name spelled from `from` (up to whitespace or `{`, before `end`) is kept. */
  keepsNameAt(input: string, from: number, end: number): boolean {
    // A family's lines come in a run: the common case is the name of the line before again.
    if (spelledAt(input, from, end, this.rejected)) return false;
    if (spelledAt(input, from, end, this.accepted)) return true;
    let to = from;
    while (to < end && !isNameEnd(input.charCodeAt(to))) to++;
    const name = input.slice(from, to);
    if (this.keeps(name)) {
      this.accepted = name;
      return true;
    }
    this.rejected = name;
    return false;
  }
}

/**
 * Whether `input` has `text` at `from`. A slice compared with === is a memcmp in V8 (the slice
 * shares the input's characters), while String.prototype.startsWith compares character by
 * character: about ten times slower on a 200-character label set, and this runs on every line.
 */
function spelledHere(input: string, from: number, text: string): boolean {
  return input.slice(from, from + text.length) === text;
}

/** Whether the metric name at `from` is `name` (non-empty), ending at whitespace or `{` before `end`. */
function spelledAt(input: string, from: number, end: number, name: string): boolean {
  const after = from + name.length;
  return name !== '' && after < end && isNameEnd(input.charCodeAt(after)) && spelledHere(input, from, name);
}

/** Label names remembered per parse: scrapes have a dozen; hostile input gets no more than this. */
const MAX_KNOWN_KEYS = 256;

interface LabelSet {
  labels: Record<string, string>;
  /** The metric name quoted inside the braces (Prometheus 3 UTF-8 names), if it was there. */
  name?: string;
}

/**
 * Returns the sample on input[start, end) (a trimmed, non-empty line that is not a comment), or a
 * reason string when the line is malformed.
 */
function parseSampleLine(input: string, start: number, end: number, names: NameCache): PromSample | string {
  let pos = start;
  let name: string;
  let labels: Record<string, string> = {};
  let labelCount = 0;
  let nameChecked = false;

  const last = names.lastName;
  const afterLast = start + last.length;
  if (last !== '' && afterLast < end && isNameEnd(input.charCodeAt(afterLast)) && input.startsWith(last, start)) {
    name = last; // the family's previous sample had this very name
    pos = afterLast;
    nameChecked = true;
  } else {
    while (pos < end && !isNameEnd(input.charCodeAt(pos))) pos++;
    name = input.slice(start, pos);
  }
  const brace = pos;
  let cachedKey: string | undefined;
  if (input.charCodeAt(pos) === 123 /* { */ && pos < end) {
    const close = input.indexOf('}', pos);
    if (close > 0 && close < end) {
      cachedKey = input.slice(pos, close + 1);
      const known = names.labelSets.get(cachedKey);
      if (known) {
        labels = known.labels;
        if (known.name !== undefined) {
          name = known.name;
          nameChecked = false;
        }
        pos = close + 1;
      }
    }
  }
  if (pos === brace && pos < end && input.charCodeAt(pos) === 123 /* { */) {
    const nameBefore = name;
    pos++;
    // Label set: name="value" pairs, commas between, optional trailing comma. Newer exposition
    // (Prometheus 3 UTF-8 names) may also put the quoted metric name first inside the braces.
    for (;;) {
      pos = skipSpaces(input, pos, end);
      if (pos < end && input.charCodeAt(pos) === 125 /* } */) {
        pos++;
        break;
      }
      let key: string;
      let keyIndex = -1;
      let quotedKey = false;
      if (pos < end && input.charCodeAt(pos) === 34 /* " */) {
        const q = readQuoted(input, pos, end);
        if (q === undefined) return UNTERMINATED;
        key = q;
        pos = quotedEnd;
        quotedKey = true;
      } else {
        // [a-zA-Z_][a-zA-Z0-9_]*, checked while scanning (no regex per label).
        const from = pos;
        let valid = true;
        for (; pos < end; pos++) {
          const c = input.charCodeAt(pos);
          if (isLabelNameEnd(c)) break;
          if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (pos > from && c >= 48 && c <= 57))) valid = false;
        }
        if (pos === from) return 'expected a label name';
        if (!valid) return `invalid label name "${input.slice(from, pos)}"`;
        keyIndex = names.keyIndex(input, from, pos);
        key = keyIndex >= 0 ? names.keys[keyIndex] : input.slice(from, pos);
      }
      pos = skipSpaces(input, pos, end);
      const c = pos < end ? input.charCodeAt(pos) : -1;
      if (quotedKey && name === '' && labelCount === 0 && (c === 44 /* , */ || c === 125) /* } */) {
        name = key; // {"metric.name", ...}
        nameChecked = false;
      } else {
        if (c !== 61 /* = */) return `expected "=" after label ${key}`;
        pos = skipSpaces(input, pos + 1, end);
        if (pos >= end || input.charCodeAt(pos) !== 34 /* " */) return `label ${key} value is not quoted`;
        // The label's previous value, when this one is spelled the same (no escapes in it).
        const before = keyIndex >= 0 ? names.lastValues[keyIndex] : '';
        let v: string | undefined;
        const valueEnd = pos + 1 + before.length;
        if (before !== '' && valueEnd < end && input.charCodeAt(valueEnd) === 34 && input.startsWith(before, pos + 1)) {
          v = before;
          quotedEnd = valueEnd + 1;
        } else {
          v = readQuoted(input, pos, end);
          if (v === undefined) return UNTERMINATED;
          if (keyIndex >= 0 && !quotedEscaped) names.lastValues[keyIndex] = v;
        }
        pos = quotedEnd;
        if (labelCount > 0 && Object.prototype.hasOwnProperty.call(labels, key)) return `duplicate label ${key}`;
        labelCount++;
        setLabel(labels, key, v);
      }
      pos = skipSpaces(input, pos, end);
      const d = pos < end ? input.charCodeAt(pos) : -1;
      if (d === 44 /* , */) {
        pos++;
        continue;
      }
      if (d === 125 /* } */) {
        pos++;
        break;
      }
      return 'expected "," or "}" in label set';
    }
    // Kept when the set ended at the first `}` (its text is then the key already cut above).
    if (cachedKey !== undefined && pos === brace + cachedKey.length) names.labelSets.set(cachedKey, name === nameBefore ? { labels } : { labels, name });
  }
  if (name === '') return 'missing metric name';
  if (!nameChecked) {
    if (!names.validMetric(name) && input.charCodeAt(start) !== 123 /* { */) return `invalid metric name "${excerptOf(name)}"`;
    if (pos > start && input.charCodeAt(start) !== 123) names.lastName = name;
  }

  if (pos < end && !isSpace(input.charCodeAt(pos))) return 'expected whitespace before the value';
  // The whitespace-separated fields after the name: the value, an optional timestamp, nothing more.
  while (pos < end && isSpace(input.charCodeAt(pos))) pos++;
  if (pos >= end) return 'missing value';
  const valueFrom = pos;
  let digitsOnly = true;
  let whole = 0;
  for (; pos < end; pos++) {
    const c = input.charCodeAt(pos);
    if (c < 48 || c > 57) {
      if (isSpace(c)) break;
      digitsOnly = false;
    } else whole = whole * 10 + (c - 48);
  }
  const valueTo = pos;
  while (pos < end && isSpace(input.charCodeAt(pos))) pos++;
  let stampText: string | undefined;
  if (pos < end) {
    const stampFrom = pos;
    while (pos < end && !isSpace(input.charCodeAt(pos))) pos++;
    stampText = input.slice(stampFrom, pos);
    while (pos < end && isSpace(input.charCodeAt(pos))) pos++;
    if (pos < end) return 'trailing garbage after value and timestamp';
  }
  let value: number;
  // A plain integer (most counters) needs no regex; up to 15 digits it is exact as summed here.
  if (digitsOnly && valueTo - valueFrom <= 15) value = whole;
  else {
    const valueText = input.slice(valueFrom, valueTo);
    if (!digitsOnly && !FLOAT_RE.test(valueText)) return `invalid value "${excerptOf(valueText)}"`;
    value = digitsOnly ? Number(valueText) : parseFloatGo(valueText);
  }
  const sample: PromSample = { name, labels, value };
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

function skipSpaces(input: string, pos: number, end: number): number {
  while (pos < end) {
    const c = input.charCodeAt(pos);
    if (c !== 32 && c !== 9) break;
    pos++;
  }
  return pos;
}

const UNTERMINATED = 'unterminated quoted string';
/** Where the last string readQuoted returned ended (one per label: no object allocated for it). */
let quotedEnd = 0;
/** Whether that string had escapes in it (its text then differs from its spelling). */
let quotedEscaped = false;

/**
 * Reads a double-quoted string at `start`, before `end` (undefined when unterminated; its end is in
 * `quotedEnd`); label values escape only `\\`, `\"` and `\n`.
 */
function readQuoted(input: string, start: number, end: number): string | undefined {
  const close = input.indexOf('"', start + 1);
  if (close >= 0 && close < end) {
    let i = start + 1;
    while (i < close && input.charCodeAt(i) !== 92 /* \\ */) i++;
    if (i === close) {
      quotedEnd = close + 1;
      quotedEscaped = false;
      return input.slice(start + 1, close);
    }
  }
  quotedEscaped = true;
  let out = '';
  for (let i = start + 1; i < end; i++) {
    const c = input[i];
    if (c === '"') {
      quotedEnd = i + 1;
      return out;
    }
    if (c === '\\') {
      const next = i + 1 < end ? input[i + 1] : undefined;
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
  setOwn(labels, key, value);
}
