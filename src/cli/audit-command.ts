// `consul-gitops audit`: is the mesh strict yet? The onboarding guide's verification step.
import { parseArgs } from 'node:util';
import type { ConsulClient } from '../adapters/consul/client.ts';
import { auditMtls, renderAudit, type AuditSource } from '../app/audit.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { resolveTarget } from './consul-target.ts';
import type { CliIo } from './io.ts';
import type { CommandEnv } from './plan-command.ts';

export function consulAuditSource(consul: ConsulClient): AuditSource {
  return {
    listFiltered: async (kind, filter) => (await consul.listEntries(kind, { filter })).entries,
    get: async (kind, name) => (await consul.getEntry(kind, name)).entry,
  };
}

export async function auditCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { consul: { type: 'string' }, target: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' }, 'require-strict': { type: 'boolean' } },
  });
  const { consul } = await resolveTarget(
    { consul: values.consul, target: values.target, config: values.config },
    cenv.env ?? process.env,
    io.cwd ?? process.cwd(),
  );
  try {
    const audit = await auditMtls(consulAuditSource(consul));
    io.stdout.write(values.json ? `${stringifyApiJson(audit)}\n` : renderAudit(audit));
    return values['require-strict'] && !audit.strict ? 1 : 0;
  } finally {
    await consul.close();
  }
}
