// Where an imported entry's file goes: `<dir>/<kind>/<name>.<ext>`, with partition and namespace
// folders when not default. Names are Consul's, not the file system's, so they are made safe here.
// The layout is case-insensitively unique: entry names and tenancy compare case-insensitively in
// Consul, so two entries never need two paths differing only by case.
import type { EntryId } from '../../model/entry-id.ts';

export type PathOutcome = { ok: true; path: string } | { ok: false; field: string; message: string };

/**
 * One path segment from a Consul name: characters outside [A-Za-z0-9._-] (such as `*`, `/`, `%`,
 * `\`) are percent-encoded, and so is a leading dot, so `..` or `.hidden` cannot climb or hide.
 * So is the first letter of a Windows device name (`CON`, `nul.x`, `COM1`): a checkout on Windows
 * would open the device instead of the file. A control character (`%1B`, `%0A`) is encoded like
 * any other: the file keeps the real name inside, and plan reads the entry's name from there, never
 * from the file name, so one odd name does not stop the whole import. Undefined for an empty name.
 */
export function pathSegment(name: string): string | undefined {
  if (name === '') return undefined;
  let out = '';
  for (const ch of name) {
    if (/[A-Za-z0-9_-]/.test(ch) || (ch === '.' && out !== '')) out += ch;
    else out += percent(ch);
  }
  return WINDOWS_DEVICE.test(out) ? percent(out[0]) + out.slice(1) : out;
}

/** Names Windows keeps for devices, whatever follows a dot (`nul.hcl` is the device too). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

function percent(ch: string): string {
  return [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** The longest file name most file systems hold (ext4, APFS, NTFS: 255 bytes or UTF-16 units). */
const MAX_NAME_BYTES = 255;

export function entryPath(dir: string, id: EntryId, extension: string): PathOutcome {
  const parts: string[] = [];
  const scopes: [string, string, string][] = [
    ['Partition', 'partition', id.partition],
    ['Namespace', 'namespace', id.namespace],
  ];
  for (const [field, folder, value] of scopes) {
    if (!value || value.toLowerCase() === 'default') continue;
    // Consul names namespaces and partitions case-insensitively (its index lower-cases them): `Team`
    // and `team` are one namespace, so they get one folder, lower-cased. Two spellings as two
    // folders would be one folder on a case-insensitive checkout (macOS, Windows).
    const seg = pathSegment(value.toLowerCase());
    if (!seg) return { ok: false, field, message: `${folder} name ${JSON.stringify(value)} cannot be a file name` };
    if (folder.length + 1 + seg.length > MAX_NAME_BYTES)
      return {
        ok: false,
        field,
        message: `${folder} name is too long for a folder name (${folder.length + 1 + seg.length} bytes escaped; file systems hold ${MAX_NAME_BYTES})`,
      };
    parts.push(`${folder}-${seg}`);
  }
  const name = pathSegment(id.name);
  if (!name) return { ok: false, field: 'Name', message: `name ${JSON.stringify(id.name)} cannot be a file name (empty)` };
  const file = `${name}.${extension}`;
  if (file.length > MAX_NAME_BYTES)
    return { ok: false, field: 'Name', message: `name is too long for a file name (${file.length} bytes escaped; file systems hold ${MAX_NAME_BYTES})` };
  return { ok: true, path: [dir.replace(/\/+$/, ''), ...parts, id.kind, file].join('/') };
}
