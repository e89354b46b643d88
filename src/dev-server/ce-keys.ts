// Keys the api structs accept but Consul CE's server structs do not: `Namespace`/`Partition` where
// the server struct only embeds an (empty, in CE) acl.EnterpriseMeta, and anything inside a struct
// that is empty in CE (the gateway and route `JWT` blocks). mapstructure reports them as
// unused and validateUnusedKeys (agent/structs/config_entry_ce.go) rejects them with a 400.
// The shared decoder follows the api structs, so the dev server adds this server-side check.
import { multiErrorText } from '../decode/api-body.ts';

/** Paths (per kind) of objects whose Namespace/Partition come only from an embedded EnterpriseMeta. */
const ENT_META_OBJECTS: Record<string, string[][]> = {
  'service-defaults': [
    ['UpstreamConfig', 'Overrides', '[]'],
    ['UpstreamConfig', 'Defaults'],
  ],
  'service-intentions': [['Sources', '[]']],
  'ingress-gateway': [['Listeners', '[]', 'Services', '[]']],
  'terminating-gateway': [['Services', '[]']],
};

/**
 * Paths (per kind) of structs that are empty in CE, so every key inside is unused: the `JWT` of a
 * listener policy (APIGatewayJWTRequirement) and of an http-route filter (JWTFilter), both `struct{}`
 * in agent/structs/config_entry_apigw_jwt_ce.go (`//go:build !consulent`). Enterprise has `Providers`.
 */
const EMPTY_IN_CE: Record<string, string[][]> = {
  'api-gateway': [
    ['Listeners', '[]', 'Override', 'JWT'],
    ['Listeners', '[]', 'Default', 'JWT'],
  ],
  'http-route': [
    ['Rules', '[]', 'Filters', 'JWT'],
    ['Rules', '[]', 'Services', '[]', 'Filters', 'JWT'],
  ],
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** mapstructure matches field names case-insensitively; the reported path uses the raw key. */
function child(o: Obj, field: string): [string, unknown] | undefined {
  const k = Object.keys(o).find((key) => key.toLowerCase() === field.toLowerCase());
  return k === undefined ? undefined : [k, o[k]];
}

function unusedIn(o: Obj, prefix: string, out: string[]): void {
  for (const k of Object.keys(o)) {
    const lower = k.toLowerCase();
    if (lower === 'namespace' || lower === 'partition') out.push(prefix + k);
  }
}

function everyKeyIn(o: Obj, prefix: string, out: string[]): void {
  for (const k of Object.keys(o)) out.push(prefix + k);
}

type Unused = (o: Obj, prefix: string, out: string[]) => void;

function walk(v: unknown, path: string[], prefix: string, out: string[], unused: Unused = unusedIn): void {
  if (path.length === 0) {
    if (isObj(v)) unused(v, prefix, out);
    return;
  }
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '[]') {
    // A single object where a list is expected is accepted (HookWeakDecodeFromSlice in reverse is not); only walk lists.
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, rest, `${prefix.slice(0, -1)}[${i}].`, out, unused));
    return;
  }
  if (!isObj(v)) return;
  const c = child(v, head);
  if (c) walk(c[1], rest, `${prefix}${c[0]}.`, out, unused);
}

function message(key: string): string {
  const last = key.toLowerCase();
  if (last.endsWith('namespace')) return `invalid config key "${key}", namespaces are a consul enterprise feature`;
  return `invalid config key "${key}"`;
}

/** The 400 body Consul CE gives for such keys, or undefined. `kind` is the decoded kind. */
export function ceUnusedKeyError(bodyText: string, kind: string): string | undefined {
  if (!/namespace|partition|jwt/i.test(bodyText)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!isObj(raw)) return undefined;
  const keys: string[] = [];
  unusedIn(raw, '', keys);
  for (const path of ENT_META_OBJECTS[kind] ?? []) walk(raw, path, '', keys);
  for (const path of EMPTY_IN_CE[kind] ?? []) walk(raw, path, '', keys, everyKeyIn);
  if (keys.length === 0) return undefined;
  return `Request decoding failed: ${multiErrorText(keys.map(message))}`;
}
