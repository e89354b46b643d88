// prometheus-text: parse the Prometheus text exposition format (Envoy's `/stats/prometheus`,
// consul-dataplane's merged metrics) into PromSample records; bad lines are reported, never thrown.
import { excerptOf, splitLines, type ParseIssue } from './parse-issue.ts';

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
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Go's strconv.ParseFloat, which Prometheus uses, also takes Inf/NaN in any case and "infinity".
const FLOAT_RE = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;
const TIMESTAMP_RE = /^-?\d+$/;

export function parsePrometheusText(text: string): PrometheusParseResult {
  const samples: PromSample[] = [];
  const help = new Map<string, string>();
  const types = new Map<string, PromMetricType>();
  const issues: ParseIssue[] = [];

  splitLines(typeof text === 'string' ? text : '').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return; // recent Envoy puts a blank line after each family, older ones none
    const issue = (reason: string): void => {
      issues.push({ line, reason, excerpt: excerptOf(raw) });
    };
    if (trimmed.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(trimmed);
      if (!meta) return; // any other comment is allowed by the format
      const [, kind, family, rest = ''] = meta;
      if (kind === 'HELP') {
        help.set(family, unescapeHelp(rest));
        return;
      }
      const type = rest.trim();
      if (!TYPES.has(type)) issue(`unknown metric type "${type}"`);
      else if (types.has(family) && types.get(family) !== type) issue(`conflicting TYPE for ${family}`);
      else types.set(family, type as PromMetricType);
      return;
    }
    const parsed = parseSampleLine(trimmed);
    if (typeof parsed === 'string') issue(parsed);
    else samples.push(parsed);
  });

  // Types are attached after the whole input is read: a TYPE line placed after its samples (seen
  // in hand-concatenated scrapes) still types them, and _bucket/_sum/_count find their family.
  for (const s of samples) {
    const type = typeOf(s.name, types);
    if (type) s.type = type;
  }
  return { samples, help, issues };
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

/** Returns the sample, or a reason string when the line is malformed. */
function parseSampleLine(line: string): PromSample | string {
  let pos = 0;
  let name = '';
  const labels: Record<string, string> = {};
  const labelNames = new Set<string>();

  const nameMatch = /^[^\s{]+/.exec(line);
  if (nameMatch) {
    name = nameMatch[0];
    pos = name.length;
  }
  if (line[pos] === '{') {
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
        if (typeof q === 'string') return q;
        key = q.value;
        pos = q.end;
        quotedKey = true;
      } else {
        const m = /^[^\s=,}"]+/.exec(line.slice(pos));
        if (!m) return 'expected a label name';
        key = m[0];
        pos += key.length;
        if (!LABEL_NAME_RE.test(key)) return `invalid label name "${key}"`;
      }
      pos = skipSpaces(line, pos);
      if (quotedKey && name === '' && labelNames.size === 0 && (line[pos] === ',' || line[pos] === '}')) {
        name = key; // {"metric.name", ...}
      } else {
        if (line[pos] !== '=') return `expected "=" after label ${key}`;
        pos = skipSpaces(line, pos + 1);
        if (line[pos] !== '"') return `label ${key} value is not quoted`;
        const v = readQuoted(line, pos);
        if (typeof v === 'string') return v;
        pos = v.end;
        if (labelNames.has(key)) return `duplicate label ${key}`;
        labelNames.add(key);
        setLabel(labels, key, v.value);
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
  }
  if (name === '') return 'missing metric name';
  if (!METRIC_NAME_RE.test(name) && !(line.startsWith('{'))) return `invalid metric name "${excerptOf(name)}"`;

  const rest = line.slice(pos);
  if (rest !== '' && !/^\s/.test(rest)) return 'expected whitespace before the value';
  const fields = rest.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length === 0) return 'missing value';
  if (fields.length > 2) return 'trailing garbage after value and timestamp';
  if (!FLOAT_RE.test(fields[0])) return `invalid value "${excerptOf(fields[0])}"`;
  const sample: PromSample = { name, labels, value: parseFloatGo(fields[0]) };
  if (fields.length === 2) {
    if (!TIMESTAMP_RE.test(fields[1])) return `invalid timestamp "${excerptOf(fields[1])}"`;
    sample.timestamp = Number(fields[1]);
  }
  return sample;
}

function parseFloatGo(s: string): number {
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

/** Reads a double-quoted string at `start`; label values escape only `\\`, `\"` and `\n`. */
function readQuoted(line: string, start: number): { value: string; end: number } | string {
  let out = '';
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '"') return { value: out, end: i + 1 };
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
  return 'unterminated quoted string';
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
