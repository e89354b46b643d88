// Where a decoded entry came from, so later checks (validation, duplicates, plan) can point at a line.
import type { SourcePosition } from '../model/errors.ts';
import type { ApiEntry } from '../model/kind-definition.ts';

export type FileFormat = 'hcl' | 'json' | 'yaml' | 'crd';

export interface DecodedEntry {
  /** The entry as `consul config write` would send it (decoded form). */
  entry: ApiEntry;
  file: string;
  format: FileFormat;
  /** Position of the entry itself (its document or object). */
  pos: SourcePosition;
  /** Position of each decoded field, keyed by API field path (`Sources[1].Action`). */
  fieldPositions: ReadonlyMap<string, SourcePosition>;
}

/** The position of a field path, or of its nearest decoded parent, or of the entry. */
export function positionOf(d: DecodedEntry, field: string): SourcePosition {
  let path = field;
  while (path) {
    const pos = d.fieldPositions.get(path);
    if (pos) return pos;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) break;
    path = path.slice(0, cut);
  }
  return d.pos;
}
