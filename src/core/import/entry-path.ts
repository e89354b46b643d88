// Where an imported entry's file goes: `<dir>/<kind>/<name>.<ext>`, with partition and namespace
// folders when not default. Names are Consul's, not the file system's, so they are made safe here.
import type { EntryId } from '../../model/entry-id.ts';

export type PathOutcome = { ok: true; path: string } | { ok: false; field: string; message: string };

/**
 * One path segment from a Consul name: characters outside [A-Za-z0-9._-] (such as `*`, `/`, `%`,
 * `\`) are percent-encoded, and so is a leading dot, so `..` or `.hidden` cannot climb or hide.
 * Control characters are refused: no Consul name carries them, so one here is an attack or a bug.
 */
export function pathSegment(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
  if (name === '' || /[\u0000-\u001f\u007f-\u009f]/.test(name)) return undefined;
  let out = '';
  for (const ch of name) {
    if (/[A-Za-z0-9_-]/.test(ch) || (ch === '.' && out !== '')) out += ch;
    else out += [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

export function entryPath(dir: string, id: EntryId, extension: string): PathOutcome {
  const parts: string[] = [];
  const scopes: [string, string, string][] = [
    ['Partition', 'partition', id.partition],
    ['Namespace', 'namespace', id.namespace],
  ];
  for (const [field, folder, value] of scopes) {
    if (!value || value.toLowerCase() === 'default') continue;
    const seg = pathSegment(value);
    if (!seg) return { ok: false, field, message: `${folder} name ${JSON.stringify(value)} cannot be a file name (control characters)` };
    parts.push(`${folder}-${seg}`);
  }
  const name = pathSegment(id.name);
  if (!name) return { ok: false, field: 'Name', message: `name ${JSON.stringify(id.name)} cannot be a file name (empty, or control characters)` };
  return { ok: true, path: [dir.replace(/\/+$/, ''), ...parts, id.kind, `${name}.${extension}`].join('/') };
}
