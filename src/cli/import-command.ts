// `consul-gitops import`: every live config entry into files in the user's format, checked to read
// back as exactly what Consul holds before anything is written.
import { parseArgs } from 'node:util';
import { ConsulConfigEntryStore } from '../adapters/consul/stores.ts';
import { LocalImportFiles } from '../adapters/files/import-files.ts';
import { formatEntryId } from '../model/entry-id.ts';
import { escapeControl } from '../model/terminal-text.ts';
import { describeProblem, importEntries, requestProblem } from '../app/import-entries.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../core/import/write-entry.ts';
import { resolveTarget } from './consul-target.ts';
import { serverVersion } from '../adapters/consul/version-source.ts';
import { targetVersion } from '../app/target-version.ts';
import { isEnterprise, parseTargetConsul } from '../model/tenancy.ts';
import type { CliIo } from './io.ts';

export interface ImportEnv {
  env?: Readonly<Record<string, string | undefined>>;
}

export async function importCommand(args: string[], io: CliIo, ienv: ImportEnv = {}): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      dir: { type: 'string' },
      consul: { type: 'string' },
      target: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string' },
      kinds: { type: 'string' },
      'only-unmanaged': { type: 'boolean' },
      force: { type: 'boolean' },
    },
  });
  const format = (values.format ?? 'hcl') as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) {
    io.stderr.write(`error: --format ${JSON.stringify(values.format)}: expected one of ${IMPORT_FORMATS.join(', ')}\n`);
    return 1;
  }
  const kinds = values.kinds
    ?.split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const asked = { format, ...(kinds ? { kinds } : {}) };
  const problem = requestProblem(asked);
  if (problem) {
    io.stderr.write(`error: --kinds: ${problem}\n`);
    return 1;
  }
  const cwd = io.cwd ?? process.cwd();
  const resolved = await resolveTarget({ config: values.config, target: values.target, consul: values.consul, dir: values.dir }, ienv.env ?? process.env, cwd);
  try {
    // Enterprise-only kinds exist only on a `+ent` Consul: the version as plan chooses it (configured, else the server's).
    const chosen = await targetVersion({ serverVersion: () => serverVersion(resolved.consul) }, resolved.target);
    const enterprise = isEnterprise(parseTargetConsul(chosen.version));
    const late = requestProblem({ ...asked, enterprise });
    if (late) {
      io.stderr.write(`error: --kinds: ${late}\n`);
      return 1;
    }
    const report = await importEntries(new ConsulConfigEntryStore(resolved.consul), new LocalImportFiles(cwd), {
      dir: resolved.target.dir,
      ...asked,
      onlyUnmanaged: values['only-unmanaged'] === true,
      force: values.force === true,
      ...(resolved.target.crdNamespaces ? { crdNamespaces: resolved.target.crdNamespaces } : {}),
      ...(enterprise ? { enterprise } : {}),
    });
    for (const p of report.problems) io.stderr.write(`error: ${describeProblem(p)}\n`);
    if (report.problems.length) {
      const n = report.problems.length;
      io.stderr.write(`${n} entr${n === 1 ? 'y' : 'ies'} cannot be imported; nothing was written\n`);
      return 1;
    }
    const lines: string[] = [];
    // Paths may be files of the user's tree (a name holding terminal controls): shown escaped.
    for (const w of report.written) lines.push(`${w.replaced ? 'replaced' : 'wrote'} ${escapeControl(w.path)}`);
    for (const u of report.unchanged) lines.push(`unchanged ${escapeControl(u.path)}: already describes ${formatEntryId(u.id)}`);
    for (const s of report.skipped) lines.push(`skipped ${formatEntryId(s.id)}: ${escapeControl(s.reason)}`);
    for (const k of report.skippedKinds ?? [])
      lines.push(`skipped kind ${k}: its entries hold private keys; \`--kinds ${k}\` imports them if this repository may hold secrets`);
    lines.push(`Import: ${report.written.length} written, ${report.unchanged.length} already in place, ${report.skipped.length} skipped.`);
    if (report.written.length) lines.push('Next: review the files, commit them, then `consul-gitops plan --adopt` shows only ownership markers to add.');
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await resolved.consul.close();
  }
}
