// consul-gitops.yaml: the targets a repository reconciles (a Consul, the subtree that belongs to
// it, and how far the reconciler may go), validated with zod.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import * as z from 'zod/mini';
import { DEFAULT_READ_LIMITS, parseByteSize, type ReadLimits } from './byte-size.ts';
import { ConsulGitopsError } from '../errors.ts';

/** A size as written in the file: `1MiB`, `512KiB`, or a number of bytes. */
const ByteSize = z.union([z.string(), z.number()]).check(z.refine((v) => parseByteSize(String(v)) !== undefined, 'a size such as 1MiB, 512KiB or 1048576'));
import { parsePromDuration } from '../core/advisor/duration.ts';
import { StatsConfigSchema } from '../adapters/stats/config.ts';
import { parseConsulVersion } from '../model/consul-versions.ts';

const PromDuration = z.string().check(z.refine((s) => parsePromDuration(s, '').ok, 'expected a Prometheus duration such as 90m, 2h, 7d or 1w'));

/** The strict-mode advisor's settings for one target (`consul-gitops advise`, the schedule, the proposals). */
export const AdvisorConfigSchema = z.strictObject({
  /** How far back plaintext must have stopped (overridden by `--window`). */
  window: z._default(PromDuration, '7d'),
  /** Longest tolerated gap between two samples of an instance. */
  maxGap: z._default(PromDuration, '10m'),
  /** Services that legitimately receive no inbound traffic: the "mTLS traffic flows" rule is skipped for them. */
  expectNoInboundTraffic: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** One pull request per service, or one for all ready services. */
  grouping: z._default(z.enum(['per-service', 'all']), 'per-service'),
  /** Labels put on the proposals' pull requests. */
  labels: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** Where samples come from: `prometheus: {url, auth, labels, metrics, …}` or `envoy: {port, path, …}`. */
  stats: z.optional(StatsConfigSchema),
});

export type AdvisorConfig = z.infer<typeof AdvisorConfigSchema>;

export const DEFAULT_ADVISOR_CONFIG: AdvisorConfig = AdvisorConfigSchema.parse({});

export const TargetSchema = z
  .strictObject({
    name: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')),
    consul: z._default(
      z.strictObject({
        address: z.optional(z.string()),
        datacenter: z.optional(z.string()),
        partition: z.optional(z.string()),
        namespace: z.optional(z.string()),
        /** Name of an environment variable holding the ACL token (never the token itself). */
        tokenEnv: z.optional(z.string()),
        tokenFile: z.optional(z.string()),
        caCert: z.optional(z.string()),
        tlsServerName: z.optional(z.string()),
      }),
      {},
    ),
    /** The subtree of the repository that belongs to this target. */
    dir: z._default(z.string(), 'config-entries'),
    prune: z._default(z.boolean(), true),
    /** Apply drift repairs from the schedule, not only report them. */
    selfHeal: z._default(z.boolean(), false),
    massDelete: z._default(
      z.strictObject({ maxShare: z._default(z.number().check(z.gte(0), z.lte(1)), 0.5), minCount: z._default(z.int().check(z.gte(1)), 10) }),
      { maxShare: 0.5, minCount: 10 },
    ),
    advisor: z.optional(AdvisorConfigSchema),
    /**
     * What the schedule does with drift (issue 16): `report` keeps the drift issue (and self-heal when
     * `selfHeal`); `propose` also opens one pull request per target that rewrites the drifted entries'
     * files to Consul's live values, so a change made by hand in an emergency can be accepted into Git.
     */
    driftMode: z._default(z.enum(['report', 'propose'], { error: 'expected "report" or "propose"' }), 'report'),
    /**
     * The Consul version the target runs (`1.21.4`): validate warns on fields it does not know yet,
     * and version-dependent rules (http-route Weight 0) follow it. Absent: the newest modelled.
     */
    consulVersion: z.optional(z.string().check(z.refine((s) => parseConsulVersion(s) !== undefined, 'a Consul version such as 1.21.4'))),
    /**
     * Consul Enterprise: the namespaces of `consul.partition` this target manages, `all` (listed with
     * `?ns=*`) or a list (one request per namespace), so entries in every managed namespace are seen
     * and pruned. Absent: the client's namespace only, as on CE (docs/enterprise.md).
     */
    namespaces: z.optional(
      z.union(
        [
          z.literal('all'),
          z.array(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'a namespace name: letters, digits, "_" and "-"'))).check(z.minLength(1)),
        ],
        {
          error: 'expected "all" or a list of namespace names',
        },
      ),
    ),
  })
  .check(
    z.refine((t) => !(t.selfHeal && t.driftMode === 'propose'), {
      message: "selfHeal: true reverts Consul to Git while driftMode: propose proposes Git take Consul's values; choose one",
      path: ['driftMode'],
    }),
  );

export const TargetsFileSchema = z.strictObject({
  stateKeyPrefix: z._default(z.string(), 'consul-gitops/state'),
  /** Size limits on the config-entry files read (default 1MiB per file, 64MiB per tree). */
  limits: z.optional(z.strictObject({ maxFileSize: z.optional(ByteSize), maxTreeSize: z.optional(ByteSize) })),
  targets: z.array(TargetSchema).check(z.minLength(1)),
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
  throw new ConsulGitopsError('config', issues.join('\n'));
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

/** The read limits in force: the `--max-file-size` flag over consul-gitops.yaml over the defaults. */
export function readLimitsOf(file: Pick<TargetsFile, 'limits'> | undefined, maxFileBytesFlag?: number): ReadLimits {
  const fromFile = (v: string | number | undefined) => (v === undefined ? undefined : parseByteSize(String(v)));
  return {
    maxFileBytes: maxFileBytesFlag ?? fromFile(file?.limits?.maxFileSize) ?? DEFAULT_READ_LIMITS.maxFileBytes,
    maxTreeBytes: fromFile(file?.limits?.maxTreeSize) ?? DEFAULT_READ_LIMITS.maxTreeBytes,
  };
}
