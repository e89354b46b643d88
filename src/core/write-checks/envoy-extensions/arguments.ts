// How a built-in extension's Constructor reads EnvoyExtensions[].Arguments: mapstructure.Decode or
// WeakDecode (github.com/mitchellh/mapstructure decodeStructFromMap) into the extension's struct.
// A field takes the map key of its own name, else any key equal to it ignoring case (strings.EqualFold).

export type Arguments = Readonly<Record<string, unknown>>;

/** The key and value mapstructure would decode into `field`, or undefined when the map has none. */
export function argument(args: unknown, field: string): { key: string; value: unknown } | undefined {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return undefined;
  const map = args as Arguments;
  if (field in map) return { key: field, value: map[field] };
  const lower = field.toLowerCase();
  const key = Object.keys(map).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : { key, value: map[key] };
}

/**
 * A string field's value as the extension sees it: '' when absent or null, the string itself, or
 * undefined when mapstructure would refuse the type (its decode error is not ported).
 */
export function stringArgument(args: unknown, field: string): string | undefined {
  const found = argument(args, field);
  if (found === undefined || found.value === null || found.value === undefined) return '';
  return typeof found.value === 'string' ? found.value : undefined;
}

/** WeakDecode's string: numbers and booleans are converted (weakly typed input), anything else is not ported. */
export function weakStringArgument(args: unknown, field: string): string | undefined {
  const found = argument(args, field);
  if (found === undefined || found.value === null || found.value === undefined) return '';
  const v = found.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The field path `validate` names: the key as the file spells it, else the field Consul reads. */
export const argumentPath = (at: string, args: unknown, field: string) => `${at}.${argument(args, field)?.key ?? field}`;
