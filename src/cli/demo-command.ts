// `npm start`: the whole loop a newcomer can run with no cloud account. Today: validate the example
// tree and show the canonical entries; plan/apply against the embedded dev server come next.
import { formatConfigEntryError } from '../model/errors.ts';
import { entryIdOf, formatEntryId } from '../model/entry-id.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { renderTree, unreadableErrors } from '../core/render.ts';
import type { CliIo } from './io.ts';
import { DEFAULT_DIR } from './render-command.ts';

export async function demoCommand(_args: string[], io: CliIo): Promise<number> {
  const { files, unreadable } = await readLocalFiles([DEFAULT_DIR], io.cwd);
  const tree = renderTree(files);
  io.stdout.write(`consul-gitops demo: reading ${DEFAULT_DIR}/ (${files.length} files)\n\n`);
  const errors = [...unreadableErrors(unreadable), ...tree.decodeErrors, ...tree.validationErrors, ...tree.graphErrors];
  if (errors.length) {
    for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
    return 1;
  }
  for (const e of tree.entries) {
    io.stdout.write(`== ${formatEntryId(entryIdOf(e.normalized))}  from ${e.file} (${e.format})\n`);
    io.stdout.write(`${stringifyApiJson(e.normalized)}\n\n`);
  }
  const permissive = tree.entries.filter((e) => e.normalized.MutualTLSMode === 'permissive');
  io.stdout.write(`${tree.entries.length} entries valid. `);
  io.stdout.write(
    permissive.length
      ? `Permissive mTLS: ${permissive.map((e) => String(e.normalized.Name)).join(', ')} (to be walked back to strict).\n`
      : 'No service is permissive.\n',
  );
  return 0;
}
