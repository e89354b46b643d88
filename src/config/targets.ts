// consul-gitops.yaml: the targets a repository reconciles (a Consul, the subtree that belongs to
// it, and how far the reconciler may go), validated with zod.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

export const TargetSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
  consul: z
    .strictObject({
      address: z.string().optional(),
      datacenter: z.string().optional(),
      partition: z.string().optional(),
      namespace: z.string().optional(),
      /** Name of an environment variable holding the ACL token (never the token itself). */
      tokenEnv: z.string().optional(),
      tokenFile: z.string().optional(),
      caCert: z.string().optional(),
      tlsServerName: z.string().optional(),
    })
    .default({}),
  /** The subtree of the repository that belongs to this target. */
  dir: z.string().default('config-entries'),
  prune: z.boolean().default(true),
  /** Apply drift repairs from the schedule, not only report them. */
  selfHeal: z.boolean().default(false),
  massDelete: z.strictObject({ maxShare: z.number().min(0).max(1).default(0.5), minCount: z.number().int().min(1).default(10) }).default({ maxShare: 0.5, minCount: 10 }),
});

export const TargetsFileSchema = z.strictObject({
  stateKeyPrefix: z.string().default('consul-gitops/state'),
  targets: z.array(TargetSchema).min(1),
});

export type Target = z.infer<typeof TargetSchema>;
export type TargetsFile = z.infer<typeof TargetsFileSchema>;

export const DEFAULT_TARGETS_FILE = 'consul-gitops.yaml';

/**
 * The single implicit target used when no consul-gitops.yaml exists: Consul from the environment,
 * and pruning only on request (`--prune`), since nothing says the tree is the whole truth.
 */
export function defaultTargets(dir = 'config-entries'): TargetsFile {
  return TargetsFileSchema.parse({ targets: [{ name: 'default', dir, prune: false }] });
}

export function parseTargetsFile(text: string, file = DEFAULT_TARGETS_FILE): TargetsFile {
  const result = TargetsFileSchema.safeParse(parse(text));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(issues.join('\n'));
}

export async function loadTargets(path: string | undefined, cwd: string): Promise<TargetsFile> {
  const file = path ?? DEFAULT_TARGETS_FILE;
  try {
    return parseTargetsFile(await readFile(`${cwd}/${file}`, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !path) return defaultTargets();
    throw e;
  }
}
