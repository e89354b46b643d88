// Settings of the long-running and serverless runtimes (reconcile, schedule, serve), from the
// environment in the names GitHub and Consul users know, validated once with zod.
import { z } from 'zod';
import { parseTargetsFile, TargetsFileSchema, type TargetsFile } from '../config/targets.ts';

const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional());
const flag = (fallback: boolean) =>
  z.preprocess((v) => (v === undefined || v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(String(v).toLowerCase())), z.boolean());

export const RuntimeEnv = z.object({
  /** `owner/name` of the repository holding the config entries. */
  GITHUB_REPOSITORY: optional,
  DEFAULT_BRANCH: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).default('main')),
  CONFIG_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).default('config-entries')),
  /** A whole consul-gitops.yaml (YAML or JSON text) for several targets; else one target from CONSUL_*. */
  TARGETS_CONFIG: optional,
  /** GitOps deletes what it owns when its file goes: on by default here, with the mass-deletion guard. */
  PRUNE: flag(true),
  SELF_HEAL: flag(false),
  STATE_PREFIX: optional,
  GITHUB_API_URL: optional,
});

export interface RuntimeSettings {
  repository?: { owner: string; repo: string };
  defaultBranch: string;
  targets: TargetsFile;
  githubApiUrl?: string;
}

export function runtimeSettings(env: Readonly<Record<string, string | undefined>>): RuntimeSettings {
  const parsed = RuntimeEnv.safeParse(env);
  // Field names only: configuration values are not echoed.
  if (!parsed.success) throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const targets = e.TARGETS_CONFIG
    ? parseTargetsFile(e.TARGETS_CONFIG, 'TARGETS_CONFIG')
    : TargetsFileSchema.parse({ targets: [{ name: 'default', dir: e.CONFIG_DIR, prune: e.PRUNE, selfHeal: e.SELF_HEAL }] });
  if (e.STATE_PREFIX) targets.stateKeyPrefix = e.STATE_PREFIX;
  const [owner, repo] = e.GITHUB_REPOSITORY?.split('/') ?? [];
  return {
    ...(owner && repo ? { repository: { owner, repo } } : {}),
    defaultBranch: e.DEFAULT_BRANCH,
    targets,
    ...(e.GITHUB_API_URL ? { githubApiUrl: e.GITHUB_API_URL } : {}),
  };
}
