// Where and how a new entry file is written: in the format most of the tree uses, in the directory
// holding most entries of its kind (else the tree root), named without overwriting anything.
import { stringify } from 'yaml';
import type { SourceFile } from '../parse-files.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryDocuments } from './entry-document.ts';

export type TreeStyle = 'hcl' | 'json' | 'yaml' | 'crd';

export interface NewEntry {
  /** File name stem: the service name, or `mesh`. */
  stem: string;
  entry: ApiEntry;
  /** The same entry as a consul-k8s resource; `namespace`: its metadata.namespace, when one is needed. */
  crd: { kind: string; name: string; namespace?: string; spec: Record<string, unknown> };
}

export function treeStyle(files: readonly SourceFile[]): TreeStyle {
  const docs = entryDocuments(files);
  return (
    majority<TreeStyle>(
      docs.map((d): TreeStyle => (d.crd ? 'crd' : d.syntax)),
      ['hcl', 'yaml', 'crd', 'json'],
    ) ?? 'hcl'
  );
}

export function newEntryFile(files: readonly SourceFile[], item: NewEntry, style: TreeStyle): { path: string; text: string } {
  const dirs = entryDocuments(files)
    .filter((d) => d.decoded.entry.Kind === item.entry.Kind)
    .map((d) => dirOf(d.file.path));
  const dir = majority(dirs, [...new Set(dirs)].sort()) ?? '';
  const yamlExt =
    majority(
      files.map((f) => /\.(ya?ml)$/i.exec(f.path)?.[1]?.toLowerCase()).filter((e): e is string => !!e),
      ['yaml', 'yml'],
    ) ?? 'yaml';
  const ext = style === 'hcl' ? 'hcl' : style === 'json' ? 'json' : yamlExt;
  return { path: freePath(files, dir, item.stem, ext, item.entry.Kind), text: render(item, style) };
}

function render(item: NewEntry, style: TreeStyle): string {
  const { entry } = item;
  if (style === 'json') return JSON.stringify(entry, null, 2) + '\n';
  if (style === 'yaml') return stringify(entry);
  if (style === 'crd')
    return stringify({
      apiVersion: 'consul.hashicorp.com/v1alpha1',
      kind: item.crd.kind,
      metadata: item.crd.namespace === undefined ? { name: item.crd.name } : { name: item.crd.name, namespace: item.crd.namespace },
      spec: item.crd.spec,
    });
  return hcl(entry, '');
}

function hcl(obj: Record<string, unknown>, indent: string): string {
  const scalars = Object.entries(obj).filter(([, v]) => typeof v !== 'object');
  const width = Math.max(0, ...scalars.map(([k]) => k.length));
  return Object.entries(obj)
    .map(([k, v]) =>
      typeof v === 'object' && v !== null
        ? `${indent}${k} {\n${hcl(v as Record<string, unknown>, indent + '  ')}${indent}}\n`
        : `${indent}${k.padEnd(width)} = ${JSON.stringify(v)}\n`,
    )
    .join('');
}

/** The most frequent value; ties go to the earlier one in `order`. */
export function majority<T>(values: readonly T[], order: readonly T[]): T | undefined {
  let best: T | undefined;
  let count = 0;
  for (const v of order) {
    const n = values.filter((x) => x === v).length;
    if (n > count) [best, count] = [v, n];
  }
  return best;
}

function dirOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut + 1);
}

function freePath(files: readonly SourceFile[], dir: string, stem: string, ext: string, kind: string): string {
  const taken = new Set(files.map((f) => f.path.toLowerCase()));
  const candidate = (n: number) => `${dir}${stem}${n === 0 ? '' : n === 1 ? `-${kind}` : `-${kind}-${n}`}.${ext}`;
  let n = 0;
  while (taken.has(candidate(n).toLowerCase())) n++;
  return candidate(n);
}
