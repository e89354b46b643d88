// `consul-gitops render` and `consul-gitops validate`.
import { parseArgs } from 'node:util';
import { escapeControl, formatConfigEntryError } from '../model/errors.ts';
import { entryIdOf, formatEntryId } from '../model/entry-id.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { ignoredNotice, type SourceFile } from '../core/parse-files.ts';
import { entriesOf, renderTreesByGroup, unreadableErrors, type RenderedTree } from '../core/render.ts';
import { crdNamespacesByDir, enterpriseByDir, loadTargets, targetHoldingPath, readLimitsOf, type TargetsFile } from '../config/targets.ts';
import { unsupportedVersion, versionWarnings } from '../core/version-check.ts';
import { gatewayTLSWarnings } from '../core/gateway-tls-merge.ts';
import { byteSizeFlag } from '../config/byte-size.ts';
import type { CliIo } from './io.ts';
import { openEntryCache, type EntryCache } from './entry-cache.ts';

export const DEFAULT_DIR = 'config-entries';

const LIMIT_OPTIONS = { 'max-file-size': { type: 'string' } } as const;

async function loadTree(
  paths: string[],
  maxFileSize: string | undefined,
  io: CliIo,
  cached = false,
): Promise<{ tree: RenderedTree; ioErrors: ReturnType<typeof unreadableErrors>; targets: TargetsFile }> {
  const cwd = io.cwd ?? process.cwd();
  const targets = await loadTargets(undefined, cwd);
  const limits = readLimitsOf(targets, byteSizeFlag('max-file-size', maxFileSize));
  const { files, unreadable, notices, ignored } = await readLocalFiles(paths.length ? paths : [DEFAULT_DIR], cwd, limits);
  // Each target's files are judged as its plan judges them: Enterprise or CE, and as one tree of their own.
  const holder = targetHoldingPath(targets);
  const groupOf = (path: string) => String(targets.targets.indexOf(holder(path) as (typeof targets.targets)[number]));
  const enterpriseOf = enterpriseByDir(targets);
  const crdNamespacesOf = crdNamespacesByDir(targets);
  // validate: files unchanged since a validate of the same paths, build and options are not parsed
  // again (entry-cache.ts), one cache per target. A group's files share their target's options.
  const caches: EntryCache[] = [];
  const reuseOf = (group: string, groupFiles: readonly SourceFile[]) => {
    const holder = targets.targets[Number(group)] as (typeof targets.targets)[number] | undefined;
    const cache = openEntryCache(cwd, JSON.stringify(['validate', paths, group, holder?.name ?? null]));
    if (!cache) return undefined;
    caches.push(cache);
    const first = groupFiles[0].path;
    return cache.scoped(JSON.stringify(['validate', enterpriseOf(first), crdNamespacesOf(first) ?? null]));
  };
  const tree = renderTreesByGroup(files, groupOf, { crdNamespacesOf, enterpriseOf }, cached ? reuseOf : undefined);
  for (const c of caches) c.save();
  tree.notices.unshift(...notices, ...ignored.map(ignoredNotice));
  return { tree, ioErrors: unreadableErrors(unreadable), targets };
}

export async function renderCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, normalized: { type: 'boolean' }, ...LIMIT_OPTIONS },
  });
  const { tree, ioErrors } = await loadTree(positionals, values['max-file-size'], io);
  for (const n of tree.notices) io.stderr.write(`notice: ${escapeControl(n)}\n`);
  for (const w of tree.warnings) io.stderr.write(`warning: ${formatConfigEntryError(w)}\n`);
  const errors = [...ioErrors, ...tree.decodeErrors];
  if (errors.length) {
    for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
    io.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'}; nothing rendered\n`);
    return 1;
  }
  const entries = entriesOf(tree, values.normalized ? 'normalized' : 'decoded');
  if (values.json) {
    io.stdout.write(`${stringifyApiJson(entries)}\n`);
    return 0;
  }
  tree.entries.forEach((e, i) => {
    io.stdout.write(`# ${formatEntryId(entryIdOf(e.normalized))}  (${escapeControl(e.file)}:${e.pos.line})\n${stringifyApiJson(entries[i])}\n`);
  });
  return 0;
}

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: LIMIT_OPTIONS });
  const { tree, ioErrors, targets } = await loadTree(positionals, values['max-file-size'], io, true);
  for (const n of tree.notices) io.stderr.write(`notice: ${escapeControl(n)}\n`);
  for (const t of targets.targets) {
    const unsupported = t.consulVersion ? unsupportedVersion(t.consulVersion) : undefined;
    if (unsupported) io.stderr.write(`warning: target ${JSON.stringify(t.name)}: ${unsupported}\n`);
  }
  // Fields the target's Consul does not know yet: Consul would refuse the write (issue 11, class 3).
  // And api-gateway listener TLS Consul accepts but cannot build the gateway from (issue 11, class 5).
  const warnings = [...tree.warnings, ...versionWarnings(tree.entries, targets.targets), ...gatewayTLSWarnings(tree.entries)];
  for (const w of warnings) io.stderr.write(`warning: ${formatConfigEntryError(w)}\n`);
  const errors = [...ioErrors, ...tree.decodeErrors, ...tree.validationErrors, ...tree.graphErrors];
  for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
  if (errors.length) {
    io.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${new Set(errors.map((e) => e.file)).size} file(s)\n`);
    return 1;
  }
  io.stdout.write(`${tree.entries.length} entries valid\n`);
  return 0;
}
