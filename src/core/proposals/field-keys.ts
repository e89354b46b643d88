// Which key in a file is a given API field, and how to spell a key the file does not have yet, the
// way Consul's decoder reads keys (mapstructure + lib/decode HookTranslateKeys): case-insensitive,
// snake_case alias accepted, the canonical spelling winning over its alias.
import { snakeCase } from '../../model/field-types.ts';

/** How a file spells its keys: `MutualTLSMode` (API), `mutual_tls_mode` (snake), `mutualTLSMode` (CRD spec). */
export type KeyStyle = 'api' | 'snake' | 'crd';

/**
 * Index of the entry that decodes as `field` among `keys`: the last canonical occurrence (HCL: the
 * last scalar wins), else the last alias occurrence, else -1.
 */
export function findFieldKey(keys: readonly string[], field: string): number {
  const lower = field.toLowerCase();
  const alias = snakeCase(field);
  let direct = -1;
  let viaAlias = -1;
  keys.forEach((k, i) => {
    const l = k.toLowerCase();
    if (l === lower) direct = i;
    else if (l === alias) viaAlias = i;
  });
  return direct >= 0 ? direct : viaAlias;
}

/** A file whose top-level keys are mostly lower-case (`kind`, `name`) is written in snake_case. */
export function keyStyleOf(topLevelKeys: readonly string[]): KeyStyle {
  const lower = topLevelKeys.filter((k) => k === k.toLowerCase()).length;
  return topLevelKeys.length > 0 && lower * 2 > topLevelKeys.length ? 'snake' : 'api';
}

export function spellKey(field: string, style: KeyStyle): string {
  if (style === 'snake') return snakeCase(field);
  if (style === 'crd') return field[0].toLowerCase() + field.slice(1);
  return field;
}
