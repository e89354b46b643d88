// A go-bexpr v0.1.2 filter (the version Consul pins), evaluated over API-form objects whose
// selectors are Go field names. Zero values the store omits read as zero. Parsing, and the text of a
// parse error, is ./bexpr-parse.ts (grammar.peg as pigeon's parser runs it); selector, operator and
// value checks follow validate.go, evaluation evaluate.go.
import { ConsulGitopsError } from '../errors.ts';
import { parseBexprText, type BexprAst, type BexprOperator } from './bexpr-parse.ts';

export type Path = string[];

export type Expr = { op: 'and' | 'or'; left: Expr; right: Expr } | { op: 'not'; expr: Expr } | { op: 'match'; kind: MatchOp; selector: Path; value?: string };

export type MatchOp = '==' | '!=' | 'in' | 'not in' | 'contains' | 'not contains' | 'is empty' | 'is not empty' | 'matches' | 'not matches';

// A filter expression Consul's go-bexpr would reject: the dev server answers it as Consul does.
export class BexprError extends ConsulGitopsError {
  constructor(message: string) {
    super('dev-server', message);
  }
}

/** ast.go's operators; `contains` is MatchIn and `not contains` MatchNotIn there too. */
const KIND_OF: Record<BexprOperator, MatchOp> = {
  Equal: '==',
  'Not Equal': '!=',
  In: 'in',
  'Not In': 'not in',
  'Is Empty': 'is empty',
  'Is Not Empty': 'is not empty',
  Matches: 'matches',
  'Not Matches': 'not matches',
};

function toExpr(ast: BexprAst): Expr {
  if (ast.t === 'binary') return { op: ast.op, left: toExpr(ast.left), right: toExpr(ast.right) };
  if (ast.t === 'not') return { op: 'not', expr: toExpr(ast.operand) };
  return { op: 'match', kind: KIND_OF[ast.operator], selector: ast.selector, ...(ast.value === undefined ? {} : { value: ast.value }) };
}

/** bexpr.Parse: the expression, or a BexprError with go-bexpr's own text. */
export function parseBexpr(src: string): Expr {
  const parsed = parseBexprText(src);
  if ('error' in parsed) throw new BexprError(parsed.error);
  return toExpr(parsed.ast);
}

/**
 * Field kinds of a filterable Go struct, for selector validation and zero values:
 * 'map' = map[string]string, 'list' = a slice of structs, 'strings' = a slice of strings,
 * 'struct' = a struct not modelled further (any sub-selector accepted), an object = a struct.
 */
export type FieldSpec = 'string' | 'number' | 'uint' | 'bool' | 'map' | 'list' | 'strings' | 'struct' | { [field: string]: FieldSpec };

/** structs.ServiceConfigEntry's bexpr-visible fields (RaftIndex is `bexpr:"-"`). */
export const SERVICE_CONFIG_ENTRY_FIELDS: { [field: string]: FieldSpec } = {
  Kind: 'string',
  Name: 'string',
  Protocol: 'string',
  Mode: 'string',
  TransparentProxy: { OutboundListenerPort: 'number', DialedDirectly: 'bool' },
  MutualTLSMode: 'string',
  MeshGateway: { Mode: 'string' },
  Expose: { Checks: 'bool', Paths: 'list' },
  ExternalSNI: 'string',
  UpstreamConfig: { Overrides: 'list', Defaults: 'struct' },
  Destination: { Addresses: 'strings', Port: 'number' },
  MaxInboundConnections: 'number',
  LocalConnectTimeoutMs: 'number',
  LocalRequestTimeoutMs: 'number',
  BalanceInboundConnections: 'string',
  RateLimits: 'struct',
  EnvoyExtensions: 'list',
  Meta: 'map',
  Hash: 'uint',
};

/** The operators go-bexpr's generated field configurations allow per field type (field_config.go). */
const SUPPORTED_OPS: Record<string, readonly MatchOp[]> = {
  string: ['==', '!=', 'in', 'not in', 'contains', 'not contains', 'matches', 'not matches'],
  number: ['==', '!='],
  uint: ['==', '!='],
  bool: ['==', '!='],
  map: ['is empty', 'is not empty', 'in', 'not in', 'contains', 'not contains'],
  strings: ['in', 'not in', 'contains', 'not contains', 'is empty', 'is not empty'],
  list: ['is empty', 'is not empty'],
};

/** MatchOperator.String() (contains is MatchIn, not contains MatchNotIn). */
const OP_NAMES: Record<MatchOp, string> = {
  '==': 'Equal',
  '!=': 'Not Equal',
  in: 'In',
  contains: 'In',
  'not in': 'Not In',
  'not contains': 'Not In',
  'is empty': 'Is Empty',
  'is not empty': 'Is Not Empty',
  matches: 'Matches',
  'not matches': 'Not Matches',
};

function specAt(fields: { [f: string]: FieldSpec }, path: Path): FieldSpec | undefined {
  let spec: FieldSpec = fields;
  for (const seg of path) {
    if (typeof spec !== 'object') return spec === 'map' || spec === 'list' || spec === 'struct' ? spec : undefined;
    // go-bexpr matches field names case-insensitively only for the exact Go name; keep it exact.
    const next: FieldSpec | undefined = spec[seg];
    if (next === undefined) return undefined;
    spec = next;
  }
  return spec;
}

export function validateSelectors(e: Expr, fields: { [f: string]: FieldSpec }): void {
  if (e.op === 'and' || e.op === 'or') {
    validateSelectors(e.left, fields);
    validateSelectors(e.right, fields);
    return;
  }
  if (e.op === 'not') {
    validateSelectors(e.expr, fields);
    return;
  }
  const m = e as Extract<Expr, { op: 'match' }>;
  const spec = specAt(fields, m.selector);
  const selector = JSON.stringify(m.selector.join('.'));
  if (!spec) throw new BexprError(`Selector ${selector} is not valid`);
  // A key of a map[string]string selects a string; a struct not modelled here accepts anything below it.
  const parent = m.selector.length > 1 ? specAt(fields, m.selector.slice(0, -1)) : undefined;
  const type = parent === 'map' ? 'string' : typeof spec === 'object' ? 'object' : spec;
  if (type === 'struct' && m.selector.length > 1 && parent === 'struct') return;
  if (type === 'list' && parent === 'list') return;
  if (!(SUPPORTED_OPS[type] ?? []).includes(m.kind)) throw new BexprError(`Invalid match operator "${OP_NAMES[m.kind]}" for selector ${selector}`);
  const v = m.value ?? '';
  if ((type === 'number' && !/^[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(v)) || (type === 'uint' && !/^\+?\d+$/.test(v)))
    throw new BexprError(
      `Failed to coerce value ${JSON.stringify(v)} for selector ${selector}: strconv.Parse${type === 'uint' ? 'Uint' : 'Int'}: parsing ${JSON.stringify(v)}: invalid syntax`,
    );
  if (type === 'bool' && !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v))
    throw new BexprError(
      `Failed to coerce value ${JSON.stringify(v)} for selector ${selector}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`,
    );
}

function lookup(obj: unknown, path: Path): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && seg in cur) cur = (cur as Record<string, unknown>)[seg];
    else return { found: false, value: undefined };
  }
  return { found: true, value: cur };
}

function zeroOf(spec: FieldSpec | undefined): unknown {
  switch (spec) {
    case 'string':
      return '';
    case 'number':
    case 'uint':
      return 0;
    case 'bool':
      return false;
    case 'list':
    case 'strings':
      return [];
    default:
      return {};
  }
}

function asText(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function equal(actual: unknown, value: string): boolean {
  if (typeof actual === 'bigint') {
    try {
      return BigInt(value) === actual;
    } catch {
      return false;
    }
  }
  if (typeof actual === 'number') return Number(value) === actual;
  // strconv.ParseBool
  if (typeof actual === 'boolean') return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value) === actual;
  return asText(actual ?? '') === value;
}

function length(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (typeof v === 'object') return Object.keys(v).length;
  return 0;
}

function containsValue(collection: unknown, value: string): boolean {
  if (Array.isArray(collection)) return collection.some((x) => equal(x, value));
  if (typeof collection === 'string') return collection.includes(value);
  if (collection && typeof collection === 'object') return value in collection;
  return false;
}

export function evaluate(e: Expr, obj: unknown, fields: { [f: string]: FieldSpec }): boolean {
  switch (e.op) {
    case 'and':
      return evaluate(e.left, obj, fields) && evaluate(e.right, obj, fields);
    case 'or':
      return evaluate(e.left, obj, fields) || evaluate(e.right, obj, fields);
    case 'not':
      return !evaluate(e.expr, obj, fields);
  }
  const spec = specAt(fields, e.selector);
  const { found, value: raw } = lookup(obj, e.selector);
  // A missing map key is "not found": only the negated forms and `is empty` hold.
  const inMap = e.selector.length > 1 && specAt(fields, e.selector.slice(0, -1)) === 'map';
  const actual = found ? raw : zeroOf(spec);
  if (!found && inMap) {
    return e.kind === '!=' || e.kind === 'not contains' || e.kind === 'not matches' || e.kind === 'not in' || e.kind === 'is empty';
  }
  const v = e.value ?? '';
  switch (e.kind) {
    case '==':
      return equal(actual, v);
    case '!=':
      return !equal(actual, v);
    case 'is empty':
      return length(actual) === 0;
    case 'is not empty':
      return length(actual) !== 0;
    case 'in':
    case 'contains':
      return containsValue(actual, v);
    case 'not in':
    case 'not contains':
      return !containsValue(actual, v);
    case 'matches':
    case 'not matches': {
      let re: RegExp;
      try {
        re = new RegExp(v);
      } catch {
        throw new BexprError(`Failed to compile regular expression ${JSON.stringify(v)}`);
      }
      const m = re.test(asText(actual ?? ''));
      return e.kind === 'matches' ? m : !m;
    }
  }
}

/** bexpr.CreateFilter + Execute over a list. Throws BexprError (Consul answers 500 with its text). */
export function filterList<T>(src: string, items: readonly T[], view: (item: T) => unknown, fields: { [f: string]: FieldSpec }): T[] {
  const expr = parseBexpr(src);
  validateSelectors(expr, fields);
  return items.filter((item) => evaluate(expr, view(item), fields));
}
