// `dev-server --acl-policy-file FILE`: the default policy, tokens and the anonymous token's rules,
// in JSON or YAML, validated with zod. Rules use Consul's JSON policy syntax, so a rule tested here
// can be pasted into a real policy:
//
//   default_policy: deny
//   anonymous: { service_prefix: { "": { policy: read } } }      # optional
//   tokens:
//     - secret: 6b1f…                                             # what clients send as X-Consul-Token
//       accessor_id: 0c3e…                                        # optional, shown in denials
//       rules: { service_prefix: { web: { policy: read } }, intention_prefix: { "": { policy: read } }, mesh: read }
//       # agent_prefix: { "": { policy: read } } lets `audit --posture` read /v1/agent/self
//     - { secret: root, management: true }
//
// Errors name the file, the line and the field; a secret is never part of one.
import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod/mini';
import type { AclConfig, AclRules } from './acl.ts';
import { ConsulGitopsError } from '../errors.ts';
import { readRegularText, whyUnreadable } from '../adapters/files/regular-file.ts';

const Level = z.enum(['read', 'write', 'deny']);
const Named = z.record(z.string(), z.strictObject({ policy: Level }));

const RulesSchema = z.strictObject({
  service: z.optional(Named),
  service_prefix: z.optional(Named),
  intention: z.optional(Named),
  intention_prefix: z.optional(Named),
  key: z.optional(Named),
  key_prefix: z.optional(Named),
  node: z.optional(Named),
  node_prefix: z.optional(Named),
  agent: z.optional(Named),
  agent_prefix: z.optional(Named),
  mesh: z.optional(Level),
  operator: z.optional(Level),
  acl: z.optional(Level),
});

const PolicyFileSchema = z.strictObject({
  default_policy: z._default(z.enum(['allow', 'deny']), 'deny'),
  anonymous: z.optional(RulesSchema),
  tokens: z._default(
    z.array(
      z.strictObject({
        secret: z.string().check(z.minLength(1)),
        accessor_id: z.optional(z.string().check(z.minLength(1))),
        management: z.optional(z.boolean()),
        rules: z.optional(RulesSchema),
      }),
    ),
    [],
  ),
});

export class AclPolicyFileError extends ConsulGitopsError {
  constructor(message: string) {
    super('config', message);
    this.name = 'AclPolicyFileError';
  }
}

type Rules = z.infer<typeof RulesSchema>;

function flatten(rules: Rules | undefined): AclRules {
  const out: AclRules = {};
  if (!rules) return out;
  for (const key of [
    'service',
    'service_prefix',
    'intention',
    'intention_prefix',
    'key',
    'key_prefix',
    'node',
    'node_prefix',
    'agent',
    'agent_prefix',
  ] as const) {
    const named = rules[key];
    if (named) out[key] = Object.fromEntries(Object.entries(named).map(([name, r]) => [name, r.policy]));
  }
  if (rules.mesh) out.mesh = rules.mesh;
  if (rules.operator) out.operator = rules.operator;
  if (rules.acl) out.acl = rules.acl;
  return out;
}

/** Parses a policy file's text; `file` names it in errors. */
export function parseAclPolicyFile(text: string, file: string): AclConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new AclPolicyFileError(`${file}:${lines.linePos(e.pos[0]).line}: not valid JSON or YAML: ${e.code}`);
  }
  const result = PolicyFileSchema.safeParse(doc.toJS());
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      // Point at the deepest node of the path that exists; values (secrets) are never quoted.
      let path = issue.path as (string | number)[];
      let node: unknown;
      while (path.length && !(node = doc.getIn(path, true))) path = path.slice(0, -1);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      const line = range ? `:${lines.linePos(range[0]).line}` : '';
      return `${file}${line}: ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    });
    throw new AclPolicyFileError(problems.join('\n'));
  }
  const data = result.data;
  const secrets = new Set<string>();
  for (const [i, t] of data.tokens.entries()) {
    if (secrets.has(t.secret)) throw new AclPolicyFileError(`${file}: tokens.${i}.secret: the same secret is declared twice`);
    secrets.add(t.secret);
  }
  return {
    defaultPolicy: data.default_policy,
    ...(data.anonymous ? { anonymous: flatten(data.anonymous) } : {}),
    tokens: data.tokens.map((t) => ({
      secret: t.secret,
      ...(t.accessor_id ? { accessorId: t.accessor_id } : {}),
      ...(t.management ? { management: true } : {}),
      rules: flatten(t.rules),
    })),
  };
}

export function loadAclPolicyFile(path: string): AclConfig {
  let text: string;
  try {
    // A regular file of 4 MiB at most: a FIFO would hang the start, /dev/zero fill memory.
    text = readRegularText(path, 4 * 1024 * 1024);
  } catch (e) {
    throw new AclPolicyFileError(`${path}: cannot read --acl-policy-file: ${whyUnreadable(e)}`);
  }
  return parseAclPolicyFile(text, path);
}
