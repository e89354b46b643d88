// Settings of the long-running and serverless runtimes (reconcile, schedule, serve), from the
// environment in the names GitHub and Consul users know, validated once with zod.
import * as z from 'zod/mini';
import { parseTargetsFile, TargetsFileSchema, type TargetsFile } from '../config/targets.ts';
import { ConsulGitopsError } from '../errors.ts';

const text = () => z.optional(z.string().check(z.minLength(1)));
const flag = () => z.optional(z.string().check(z.regex(/^(1|0|true|false|yes|no|on|off)$/i, 'a boolean: true or false')));

export const RuntimeEnv = z.object({
  /** `owner/name` of the repository holding the config entries. */
  GITHUB_REPOSITORY: z.optional(z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'))),
  DEFAULT_BRANCH: text(),
  CONFIG_DIR: text(),
  /** A whole consul-gitops.yaml (YAML or JSON text) for several targets; else one target from CONSUL_*. */
  TARGETS_CONFIG: text(),
  /** GitOps deletes what it owns when its file goes: on by default here, with the mass-deletion guard. */
  PRUNE: flag(),
  SELF_HEAL: flag(),
  STATE_PREFIX: text(),
  GITHUB_API_URL: text(),
});

const isTrue = (v: string | undefined, fallback: boolean) => (v === undefined ? fallback : /^(1|true|yes|on)$/i.test(v));

export interface RuntimeSettings {
  repository?: { owner: string; repo: string };
  defaultBranch: string;
  targets: TargetsFile;
  githubApiUrl?: string;
}

export function runtimeSettings(env: Readonly<Record<string, string | undefined>>): RuntimeSettings {
  // Empty variables count as unset, as in a shell.
  const parsed = RuntimeEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  // Field names only: configuration values are not echoed.
  if (!parsed.success) throw new ConsulGitopsError('config', `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const targets = e.TARGETS_CONFIG
    ? parseTargetsFile(e.TARGETS_CONFIG, 'TARGETS_CONFIG')
    : TargetsFileSchema.parse({ targets: [{ name: 'default', dir: e.CONFIG_DIR ?? 'config-entries', prune: isTrue(e.PRUNE, true), selfHeal: isTrue(e.SELF_HEAL, false) }] });
  if (e.STATE_PREFIX) targets.stateKeyPrefix = e.STATE_PREFIX;
  const [owner, repo] = e.GITHUB_REPOSITORY?.split('/') ?? [];
  return {
    ...(owner && repo ? { repository: { owner, repo } } : {}),
    defaultBranch: e.DEFAULT_BRANCH ?? 'main',
    targets,
    ...(e.GITHUB_API_URL ? { githubApiUrl: e.GITHUB_API_URL } : {}),
  };
}
