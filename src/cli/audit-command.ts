// `consul-gitops audit`: is the mesh strict yet? The onboarding guide's verification step; with
// `--posture`, the whole production checklist as far as Consul's HTTP API shows it.
import { parseArgs } from 'node:util';
import { ConsulClient } from '../adapters/consul/client.ts';
import { consulAuditSource, consulPostureSource } from '../adapters/consul/posture-source.ts';
import { auditMtls, renderAudit } from '../app/audit.ts';
import { auditPosture } from '../app/posture.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { CHECK_IDS, gatingFindings, unknownCheckIds } from '../core/posture/evaluate.ts';
import { postureJson, renderPostureText } from '../reports/posture-text.ts';
import { resolveTarget } from './consul-target.ts';
import type { CliIo } from './io.ts';
import type { CommandEnv } from './plan-command.ts';
import { ConsulGitopsError } from '../errors.ts';

export { consulAuditSource, consulPostureSource };

export async function auditCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      consul: { type: 'string' },
      target: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      'require-strict': { type: 'boolean' },
      posture: { type: 'boolean' },
      require: { type: 'string' },
    },
  });
  const require = values.require
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (require !== undefined && !values.posture) throw new ConsulGitopsError('usage', '--require chooses posture checks: use it with --posture');
  const unknownIds = unknownCheckIds(require ?? []);
  if (unknownIds.length)
    throw new ConsulGitopsError(
      'usage',
      `--require: no posture check named ${unknownIds.map((i) => JSON.stringify(i)).join(', ')} (checks: ${CHECK_IDS.join(', ')})`,
    );
  const { consul } = await resolveTarget(
    { consul: values.consul, target: values.target, config: values.config },
    cenv.env ?? process.env,
    io.cwd ?? process.cwd(),
  );
  try {
    if (values.posture) {
      const report = await auditPosture(consulPostureSource(consul));
      const gating = gatingFindings(report.findings, require);
      io.stdout.write(values.json ? `${stringifyApiJson(postureJson(report, gating))}\n` : renderPostureText(report, gating));
      return gating.length ? 1 : 0;
    }
    const audit = await auditMtls(consulAuditSource(consul));
    io.stdout.write(values.json ? `${stringifyApiJson(audit)}\n` : renderAudit(audit));
    return values['require-strict'] && !audit.strict ? 1 : 0;
  } finally {
    await consul.close();
  }
}

/** `npm start`'s last step: the posture of the demo's own dev server, as text. */
export async function renderPostureForDemo(consulUrl: string): Promise<string> {
  const consul = new ConsulClient({ address: consulUrl });
  try {
    const report = await auditPosture(consulPostureSource(consul));
    return renderPostureText(report, gatingFindings(report.findings));
  } finally {
    await consul.close();
  }
}
