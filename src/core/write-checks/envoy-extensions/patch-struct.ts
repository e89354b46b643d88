// property-override's dry run of a patch (agent/envoyextensions/builtin/property-override/structpatcher.go
// PatchStruct, which Patch.validate applies to an empty Envoy resource of the patch's ResourceType):
// the Path walked field by field through Envoy's protos (parsePath, findTargetMessageAndField,
// childFieldDescriptor, fieldListStr), then an `add` Value checked against the target field
// (applyAdd, toProtoValue, toProtoWrapperValue, toProtoEnumValue, typeMismatchErr,
// unsupportedTargetTypeErr, fieldType). Cases in property_override_test.go TestConstructor ("patch with
// invalid Envoy resource Path", "multiple patches includes indexed errors") and structpatcher_test.go.
//
// The texts follow the newest structpatcher.go read (BUSL header, find_string id 301600170), whose
// structpatcher_test.go ("Copyright IBM Corp. 2024, 2026", commit 2b81120) pins them: a Path going on
// below a scalar field or an Any, a map Value for a scalar field and a bytes target are refused by
// name, no longer by a recovered panic.
//
// Values come from JSON, so a number is a float64 and a list a []interface {}. Not answered here (no
// refusal): a Value Go hands to protoreflect's Set for a field of another scalar kind (a string for a
// uint32 field): Set panics, and PatchStruct's recover prints "unexpected panic: " and protobuf-go's
// text, which Consul's sources do not show. cncf/xds messages (a Listener's filter_chain_matcher) are
// walked like Envoy's: ENVOY_FIELDS holds them.
import { ENVOY_FIELDS } from './envoy-fields.ts';
import { isMap } from './structs.ts';

interface ProtoField {
  name: string;
  repeated: boolean;
  map: boolean;
  /** A scalar kind (`string`, `uint32`, …), `message` or `enum`. */
  kind: string;
  /** The message's or enum's full name. */
  type?: string;
}

interface Schema {
  messages: Map<string, ProtoField[]>;
  enums: Map<string, Set<string>>;
}

let schema: Schema | undefined;

/** ENVOY_FIELDS, read once on first use. */
function envoySchema(): Schema {
  if (schema) return schema;
  const messages = new Map<string, ProtoField[]>();
  const enums = new Map<string, Set<string>>();
  for (const line of ENVOY_FIELDS.split('\n')) {
    const eq = line.indexOf('=');
    const body = line.slice(eq + 1);
    if (line.startsWith('enum ')) {
      enums.set(line.slice(5, eq), new Set(body.split(' ')));
      continue;
    }
    const fields = body === '' ? [] : body.split(' ');
    messages.set(
      line.slice(0, eq),
      fields.map((f) => {
        const [raw, code, type] = f.split(':');
        const repeated = raw.startsWith('*');
        const kind = code === 'm' ? 'message' : code === 'e' ? 'enum' : code === 'M' ? 'map' : code;
        return { name: repeated ? raw.slice(1) : raw, repeated, map: kind === 'map', kind, ...(type ? { type } : {}) };
      }),
    );
  }
  schema = { messages, enums };
  return schema;
}

/** Patch.validate's empty resource per ResourceType. */
const ROOTS: Readonly<Record<string, string>> = {
  cluster: 'envoy.config.cluster.v3.Cluster',
  'cluster-load-assignment': 'envoy.config.endpoint.v3.ClusterLoadAssignment',
  route: 'envoy.config.route.v3.RouteConfiguration',
  listener: 'envoy.config.listener.v3.Listener',
};

/** fieldListStr: the message's fields, the first ten unless Debug is set. */
function fieldList(message: string, fields: ProtoField[], debug: boolean): string {
  const shown = !debug && fields.length > 10 ? fields.slice(0, 10) : fields;
  const more = shown.length < fields.length ? 'First 10 fields for this message included, configure with `Debug = true` to print all.' : '';
  return `available ${message} fields:\n${shown.map((f) => `${f.name}\n`).join('')}${more}`;
}

/** The one-line wording `validate` prints for fieldListStr's list. */
function fieldListLine(message: string, fields: ProtoField[], debug: boolean): string {
  const shown = !debug && fields.length > 10 ? fields.slice(0, 10) : fields;
  return `available ${message} fields: ${shown.map((f) => f.name).join(', ')}${shown.length < fields.length ? ', … (Debug = true lists all)' : ''}`;
}

/** fieldType: how typeMismatchErr and unsupportedTargetTypeErr name the field's type. */
function fieldType(f: ProtoField): string {
  if (f.map) return 'map';
  const kind = f.kind === 'message' ? f.type! : f.kind;
  return f.repeated ? `repeated ${kind}` : kind;
}

/** %T of a value encoding/json decoded into interface{}. */
function goTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

const mismatch = (f: ProtoField, v: unknown) => `patch value type ${goTypeOf(v)} could not be applied to target field type '${fieldType(f)}'`;
const unsupported = (f: ProtoField) => `unsupported target field type '${fieldType(f)}'`;

const INT_WRAPPERS = new Set(['google.protobuf.UInt32Value', 'google.protobuf.UInt64Value', 'google.protobuf.Int32Value', 'google.protobuf.Int64Value']);
const FLOAT_WRAPPERS = new Set(['google.protobuf.FloatValue', 'google.protobuf.DoubleValue']);

/** toProtoValue's error for a value set on field `f` directly, or undefined. */
function valueError(f: ProtoField, v: unknown): string | undefined {
  if (f.repeated) {
    // No []interface {} case: a JSON list never matches the typed slices toProtoValue switches on.
    return f.kind === 'message' || f.kind === 'bytes' ? unsupported(f) : mismatch(f, v);
  }
  // A proto map's Kind is its entry message, never a google.protobuf wrapper.
  if (f.map) return unsupported(f);
  if (f.kind === 'message') {
    const name = f.type!;
    if (!name.startsWith('google.protobuf.') || !name.endsWith('Value')) return unsupported(f);
    if (typeof v === 'number') return FLOAT_WRAPPERS.has(name) || INT_WRAPPERS.has(name) ? undefined : mismatch(f, v);
    if (typeof v === 'boolean') return name === 'google.protobuf.BoolValue' ? undefined : mismatch(f, v);
    if (typeof v === 'string') return name === 'google.protobuf.StringValue' ? undefined : mismatch(f, v);
    return mismatch(f, v);
  }
  if (f.kind === 'enum') {
    // By name only: a float64 is none of the integer types toProtoEnumValue looks a number up by.
    if (typeof v === 'string' && envoySchema().enums.get(f.type!)?.has(v)) return undefined;
    return mismatch(f, v);
  }
  // toProtoValue refuses a bytes target before any value is looked at.
  if (f.kind === 'bytes') return unsupported(f);
  // Any other scalar: numbers go to a numeric field; a list or a map makes protoreflect.ValueOf panic,
  // which is recovered as a mismatch; another scalar reaches Set (not answered, see the header).
  if (typeof v === 'object' && v !== null) return mismatch(f, v);
  return undefined;
}

export interface PatchProblem {
  /** Consul's text. */
  text: string;
  /** The same on one line, for `validate`. */
  line: string;
  /** Whether it is about the Path (else the Value). */
  onPath: boolean;
}

const problem = (text: string, onPath: boolean, line = text): PatchProblem => ({ text, line, onPath });

/** PatchStruct's error for this patch on an empty resource of `resourceType`, or undefined. */
export function patchStructError(resourceType: string, op: string, path: string, value: unknown, debug: boolean): PatchProblem | undefined {
  const root = ROOTS[resourceType];
  const { messages } = envoySchema();
  const rootFields = messages.get(root);
  if (!root || !rootFields) return undefined;
  if (path === '' || path === '/')
    return problem(
      `non-empty, non-root Path is required;\n${fieldList(root, rootFields, debug)}`,
      true,
      `non-empty, non-root Path is required; ${fieldListLine(root, rootFields, debug)}`,
    );
  // parsePath: strings.Split(strings.TrimLeft(path, "/"), "/").
  const segments = path.replace(/^\/+/, '').split('/');
  let message = root;
  let field: ProtoField | undefined;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i];
    if (name === '') return problem('empty field name in path', true);
    const fields = messages.get(message);
    if (!fields) return undefined;
    field = fields.find((f) => f.name === name);
    if (!field)
      return problem(
        `no match for field '${name}'!\n${fieldList(message, fields, debug)}`,
        true,
        `no match for field '${name}'! ${fieldListLine(message, fields, debug)}`,
      );
    if (i === segments.length - 1) break;
    if (field.repeated) return problem(`path contains member of repeated field '${name}'; repeated field member access is not supported`, true);
    if (field.map) return problem(`path contains member of map field '${name}'; map field member access is not supported`, true);
    if (field.type === 'google.protobuf.Any') return problem('variant-type message fields (google.protobuf.Any) are not supported', true);
    if (field.kind !== 'message')
      return problem(`path contains member of non-message field '${name}' (type '${field.kind}'); this type does not support child fields`, true);
    message = field.type!;
  }
  if (op !== 'add' || !field) return undefined;
  if (value === null || value === undefined)
    return problem("non-nil Value is required; use an empty map to reset all fields on a message or the 'remove' op to unset fields", false);
  if (!isMap(value) || field.map) {
    const e = valueError(field, value);
    return e === undefined ? undefined : problem(e, false);
  }
  if (field.kind !== 'message') return problem(`non-message field type '${field.kind}' cannot be set via a map`, false);
  // A map Value sets the named children of a fresh message; Go walks the map in random order, so
  // with several problems Consul names any one of them: the first in the file's order is named here.
  const children = field.kind === 'message' && !field.repeated ? messages.get(field.type!) : undefined;
  if (!children) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const child = children.find((f) => f.name === k);
    if (!child)
      return problem(
        `no match for field '${k}'!\n${fieldList(field.type!, children, debug)}`,
        false,
        `no match for field '${k}'! ${fieldListLine(field.type!, children, debug)}`,
      );
    const e = v === null || v === undefined ? undefined : valueError(child, v);
    if (e) return problem(e, false);
  }
  return undefined;
}
