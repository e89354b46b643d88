// `consul-gitops audit`: is the mesh strict yet? The onboarding guide's verification step; with
// `--posture`, the whole production checklist as far as Consul's HTTP API shows it.
import { parseArgs } from 'node:util';
import { ConsulClient } from '../adapters/consul/client.ts';
import { isConsulError } from '../adapters/consul/errors.ts';
import { baseUrlOf } from '../adapters/consul/options.ts';
import { auditMtls, renderAudit, type AuditSource } from '../app/audit.ts';
import { auditPosture, type PostureSource } from '../app/posture.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { CHECK_IDS, gatingFindings, unknownCheckIds } from '../core/posture/evaluate.ts';
import type { Known } from '../core/posture/facts.ts';
import { postureJson, renderPostureText } from '../reports/posture-text.ts';
import { resolveTarget } from './consul-target.ts';
import type { CliIo } from './io.ts';
import type { CommandEnv } from './plan-command.ts';

export function consulAuditSource(consul: ConsulClient): AuditSource {
  return {
    listFiltered: async (kind, filter) => (await consul.listEntries(kind, { filter })).entries,
    get: async (kind, name) => (await consul.getEntry(kind, name)).entry,
  };
}

const AGENT_READ = 'agent:read on the agent\'s node (`agent_prefix "" { policy = "read" }`)';
const OPERATOR_READ = 'operator:read (`operator = "read"`)';

/** A read ACLs stopped (403, or a list cut short) as an unknown fact naming the permission; anything else is rethrown. */
function unknownFromError(e: unknown, permission?: string): { permission: string; why: string } {
  if (isConsulError(e) && e.kind === 'incomplete-read') return { permission: e.missingPermission ?? permission ?? 'read access', why: e.message };
  if (isConsulError(e) && e.kind === 'permission') return { permission: permission ?? 'read access', why: `${e.method} ${e.path}: ${e.status} ${e.message}` };
  throw e;
}

async function knownOrUnknown<T>(read: () => Promise<T>, permission: string): Promise<Known<T>> {
  try {
    return { known: true, value: await read() };
  } catch (e) {
    return { known: false, ...unknownFromError(e, permission) };
  }
}

export function consulPostureSource(consul: ConsulClient): PostureSource {
  return {
    transport: () => ({ https: baseUrlOf(consul.options).protocol === 'https:', verifyTls: !(consul.options.tls?.insecureSkipVerify ?? false) }),
    aclSelf: () => consul.aclTokenSelf(),
    authorize: (checks, anonymous) => consul.authorize(checks, { anonymous }),
    agent: () => knownOrUnknown(() => consul.agentSelf(), AGENT_READ),
    caProvider: () => knownOrUnknown(() => consul.caProvider(), OPERATOR_READ),
    intentions: () => knownOrUnknown(async () => (await consul.listEntries('service-intentions')).entries, 'intention:read on every intention'),
    // Typical services only: proxies and gateways are reached through the service they front.
    services: () => knownOrUnknown(async () => Object.keys(await consul.listServices('ServiceKind == ""')), 'service:read on every service'),
    mtls: consulAuditSource(consul),
    unknownFromError: (e) => unknownFromError(e),
  };
}

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
  const require = values.require?.split(',').map((s) => s.trim()).filter(Boolean);
  if (require !== undefined && !values.posture) throw new Error('--require chooses posture checks: use it with --posture');
  const unknownIds = unknownCheckIds(require ?? []);
  if (unknownIds.length) throw new Error(`--require: no posture check named ${unknownIds.map((i) => JSON.stringify(i)).join(', ')} (checks: ${CHECK_IDS.join(', ')})`);
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
