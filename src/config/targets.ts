// consul-gitops.yaml: the targets a repository reconciles (a Consul, the subtree that belongs to
// it, and how far the reconciler may go), validated with zod.
import { readRegularFile } from '../adapters/files/regular-file.ts';
import { dirname, isAbsolute, posix, resolve, win32 } from 'node:path';
import { parse, YAMLError } from 'yaml';
import * as z from 'zod/mini';
import { DEFAULT_READ_LIMITS, parseByteSize, type ReadLimits } from './byte-size.ts';
import { isKvPrefix, KV_PREFIX_EXPECTED } from './kv-prefix.ts';
import { ConsulGitopsError } from '../errors.ts';
import { escapeControl, quoteToken } from '../model/errors.ts';

/** A size as written in the file: `1MiB`, `512KiB`, or a number of bytes. */
const ByteSize = z.union([z.string(), z.number()]).check(z.refine((v) => parseByteSize(String(v)) !== undefined, 'a size such as 1MiB, 512KiB or 1048576'));
import { parsePromDuration } from '../core/advisor/duration.ts';
import { StatsConfigSchema } from '../adapters/stats/config.ts';
import { parseConsulVersion } from '../model/consul-versions.ts';
import { isEnterpriseVersion, sameTenancy, type CrdNamespaces } from '../model/tenancy.ts';

/** A Consul namespace name, as `namespaces` lists them. */
const NAMESPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const NamespaceName = z.string().check(z.regex(NAMESPACE_NAME, 'a namespace name: letters, digits, "_" and "-"'));

/**
 * `crdNamespaces`: the Consul namespace consul-k8s gives a CRD's entry, in the words of its Helm
 * values `connectInject.consulNamespaces.{mirroringK8S, mirroringK8SPrefix, consulDestinationNamespace}`
 * (control-plane/namespaces/namespaces.go ConsulNamespace; model/tenancy.ts crdConsulNamespace).
 * Copy them from the Helm values of the consul-k8s that would otherwise apply these manifests.
 */
const CrdNamespacesSchema = z
  .strictObject({
    mirroringK8S: z._default(z.boolean(), false),
    mirroringK8SPrefix: z.optional(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-", starting with a letter or digit'))),
    consulDestinationNamespace: z._default(NamespaceName, 'default'),
  })
  .check(
    z.refine((c) => c.mirroringK8S || c.mirroringK8SPrefix === undefined, {
      message: 'mirroringK8SPrefix applies only with mirroringK8S: true (consul-k8s ignores it otherwise)',
      path: ['mirroringK8SPrefix'],
    }),
  );

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
    name: z
      .string()
      .check(
        z.refine(
          isTargetName,
          'letters, digits, ".", "_" and "-" only, not starting with "." nor ending with "." or ".lock", no ".." (the name is part of Consul KV keys and git branch names)',
        ),
      ),
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
    dir: z._default(
      z
        .string()
        .check(
          z.refine(
            insideRepository,
            'a folder inside the repository, written relative to it: no absolute path, no ".." leading out (the reconciler reads the repository only)',
          ),
        ),
      'config-entries',
    ),
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
      z.union([z.literal('all'), z.array(NamespaceName).check(z.minLength(1))], {
        error: 'expected "all" or a list of namespace names',
      }),
    ),
    /**
     * Consul Enterprise: map each CRD's metadata.namespace to a Consul namespace as consul-k8s does
     * with these Helm values. Absent: not mapped (the entry goes to consul.namespace, with a warning
     * for a CRD naming another Kubernetes namespace than `default`).
     */
    crdNamespaces: z.optional(CrdNamespacesSchema),
  })
  .check(
    z.refine((t) => !t.crdNamespaces || !t.consulVersion || isEnterpriseVersion(t.consulVersion), {
      message:
        'Consul namespaces are a Consul Enterprise feature, and consulVersion names a Community Edition (no "+ent"): consul-k8s on CE writes every entry to the default namespace; remove crdNamespaces',
      path: ['crdNamespaces'],
    }),
    z.refine((t) => !t.crdNamespaces?.mirroringK8S || t.namespaces !== undefined, {
      message:
        'mirrored entries land in many Consul namespaces, which plan must list to see and prune them: add namespaces: all (or the list of mirrored namespaces) to the target',
      path: ['crdNamespaces', 'mirroringK8S'],
    }),
    z.refine((t) => !t.crdNamespaces || t.crdNamespaces.mirroringK8S || managesNamespace(t, t.crdNamespaces.consulDestinationNamespace), {
      message: 'not a namespace this target manages (when omitted it is "default", as in consul-k8s): name it in consul.namespace or in namespaces',
      path: ['crdNamespaces', 'consulDestinationNamespace'],
    }),
    z.refine((t) => !(t.selfHeal && t.driftMode === 'propose'), {
      message: "selfHeal: true reverts Consul to Git while driftMode: propose proposes Git take Consul's values; choose one",
      path: ['driftMode'],
    }),
  );

/** Whether a target lists `ns` (its `namespaces`, else its consul.namespace, else `default`); names compare case-insensitively as Consul's. */
function managesNamespace(t: { namespaces?: 'all' | string[]; consul: { namespace?: string } }, ns: string): boolean {
  if (t.namespaces === 'all') return true;
  if (t.namespaces) return t.namespaces.some((n) => sameTenancy(n, ns));
  return sameTenancy(t.consul.namespace, ns);
}

export const TargetsFileSchema = z.strictObject({
  stateKeyPrefix: z._default(z.string().check(z.refine(isKvPrefix, KV_PREFIX_EXPECTED)), 'consul-gitops/state'),
  /** Size limits on the config-entry files read (default 1MiB per file, 64MiB per tree). */
  limits: z.optional(z.strictObject({ maxFileSize: z.optional(ByteSize), maxTreeSize: z.optional(ByteSize) })),
  targets: z.array(TargetSchema).check(z.minLength(1)),
});

export type Target = z.infer<typeof TargetSchema>;
export type TargetsFile = z.infer<typeof TargetsFileSchema>;

export const DEFAULT_TARGETS_FILE = 'consul-gitops.yaml';

/**
 * A target's name goes into Consul KV keys (`<stateKeyPrefix>/<name>/lock`), where `.` and `..`
 * are path steps an HTTP client resolves (`..` put the lock outside the prefix), and into git branch
 * names (`consul-gitops/mesh-lockdown/<name>`), whose components git refuses starting with `.`,
 * ending with `.` or `.lock`, or holding `..` (git-check-ref-format).
 */
function isTargetName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith('.') && !name.endsWith('.') && !name.endsWith('.lock') && !name.includes('..');
}

/**
 * Whether a target's `dir` names a folder of the repository. The reconciler reads a commit's tree,
 * where `/etc` or `../x` name nothing, while `plan` on a CI runner would read them from the runner's
 * disk: a pull request changing `dir` could make its plan comment quote files from outside the checkout.
 */
function insideRepository(dir: string): boolean {
  // "" names no folder (and read as the repository's top, it would take this file for an entry).
  if (dir === '' || dir.includes('\0') || isAbsolute(dir) || win32.isAbsolute(dir)) return false;
  const normal = posix.normalize(dir.replace(/\\/g, '/'));
  return normal !== '..' && !normal.startsWith('../');
}

/**
 * The single implicit target used when no consul-gitops.yaml exists: Consul from the environment,
 * and pruning only on request (`--prune`), since nothing says the tree is the whole truth.
 */
export function defaultTargets(dir = 'config-entries'): TargetsFile {
  return TargetsFileSchema.parse({ targets: [{ name: 'default', dir, prune: false }] });
}

/**
 * `sharedEnvironment`: one process serves every target (serve, the Lambda functions), so targets
 * without `consul.address` all use the same CONSUL_HTTP_ADDR (refuseOverlaps); `true`, or that
 * process's CONSUL_HTTP_ADDR (unset: Consul's default, 127.0.0.1:8500), which a target's own
 * address is compared with too.
 *
 * `relativeTo`: the folder a relative `consul.tokenFile` or `consul.caCert` is read from, made
 * absolute here once (the config file's folder, as kubeconfig and docker-compose read theirs), so
 * no reader later falls back to whatever the process's working directory happens to be.
 */
export function parseTargetsFile(
  text: string,
  file = DEFAULT_TARGETS_FILE,
  relativeTo?: string,
  sharedEnvironment: boolean | { consulAddress?: string } = false,
): TargetsFile {
  const document = parseYamlOf(text, file);
  const result = TargetsFileSchema.safeParse(document);
  if (result.success) {
    refuseOverlaps(result.data.targets, file, sharedEnvironment);
    return relativeTo === undefined ? result.data : withPathsFrom(result.data, relativeTo);
  }
  const issues = result.error.issues.map(
    (i) => `${file}: ${i.path.map((p) => quoteToken(String(p)).slice(1, -1)).join('.') || '(root)'}: ${issueText(i, document)}`,
  );
  throw new ConsulGitopsError('config', issues.join('\n'));
}

/**
 * Refuses two targets with one name, and two targets that manage the same part of one Consul. Entries
 * carry one ownership marker (`managed-by: consul-gitops`), not a target's name: a target's prune
 * deletes every marked entry its own tree lacks, so it would delete what the other target applied,
 * and an apply of each reverts the other's version of an entry both define. Both see every
 * partition-wide entry (proxy-defaults, mesh, exported-services …) of their partition, so one
 * partition of one Consul is one target's, whatever namespaces each lists. `consul.datacenter` does
 * not separate them: Consul sends every config entry write to the primary datacenter and replicates
 * it to the others (agent/consul/config_endpoint.go ConfigEntry.Apply).
 *
 * "One Consul": `consul.address` values that connect to one endpoint (consulEndpoints: default
 * ports, host case, the loopback names; host names are not resolved, so two names of one cluster
 * cannot be told apart here). An absent address is the environment's
 * (CONSUL_HTTP_ADDR): the same for every target where one process serves them all (`sharedEnvironment`:
 * serve, the Lambda functions), unknown for the CLI, which may run each target under its own environment.
 */
function refuseOverlaps(targets: readonly Target[], file: string, sharedEnvironment: boolean | { consulAddress?: string }): void {
  const problems: string[] = [];
  for (let i = 0; i < targets.length; i++)
    for (let j = i + 1; j < targets.length; j++) {
      const [a, b] = [targets[i], targets[j]];
      if (a.name === b.name) {
        problems.push(`${file}: targets.${j}.name: "${b.name}" names targets.${i} too: each target needs its own name (its lock and state are kept under it)`);
        continue;
      }
      const overlap = overlapOf(a, b, sharedEnvironment);
      if (overlap)
        problems.push(
          `${file}: targets "${a.name}" and "${b.name}" overlap: both manage ${overlap} of the same Consul (${sameBecause(a, b)}). Each one's prune would delete the entries the other applied, and each apply reverts the other's version of an entry both define ` +
            `(consul.datacenter does not separate them: config entries are written to the primary datacenter and replicated). ` +
            `Make them one target, or give them different partitions or Consul clusters` +
            spelledApart(addressOf(a, sharedEnvironment), addressOf(b, sharedEnvironment)),
        );
    }
  if (problems.length > 0) throw new ConsulGitopsError('config', problems.join('\n'));
}

/** When two addresses that meet are written differently: that they are taken as one, and how far that goes. */
function spelledApart(a: string | undefined, b: string | undefined): string {
  if (!a || !b || a === b) return '';
  return `. "${a}" and "${b}" name one Consul address (host names are not resolved: two names of one cluster are not caught)`;
}

/** Why two targets that meet are on one Consul, in words. */
function sameBecause(a: Target, b: Target): string {
  const [xa, xb] = [a.consul.address, b.consul.address];
  if (xa && xb) return 'the same consul.address';
  if (!xa && !xb) return 'neither sets consul.address, so both use CONSUL_HTTP_ADDR';
  const [without, withIt] = xa ? [b, a] : [a, b];
  return `"${without.name}" sets no consul.address, so it uses CONSUL_HTTP_ADDR, which is the consul.address of "${withIt.name}"`;
}

/**
 * The address a target's client connects to, for the comparison: its own, or where one process
 * serves every target, that process's CONSUL_HTTP_ADDR (Consul's default when unset).
 */
function addressOf(t: Target, sharedEnvironment: boolean | { consulAddress?: string }): string | undefined {
  if (t.consul.address || typeof sharedEnvironment !== 'object') return t.consul.address;
  return sharedEnvironment.consulAddress || '127.0.0.1:8500';
}

/** What two targets both manage on one Consul, in words; undefined when they cannot meet. */
function overlapOf(a: Target, b: Target, sharedEnvironment: boolean | { consulAddress?: string }): string | undefined {
  const [xa, xb] = [addressOf(a, sharedEnvironment), addressOf(b, sharedEnvironment)];
  if (!xa && !xb && !sharedEnvironment) return undefined;
  if (!sameConsulAddress(xa, xb)) return undefined;
  if (!sameTenancy(a.consul.partition, b.consul.partition)) return undefined;
  const partition = `partition "${a.consul.partition || 'default'}"`;
  const shared = sharedNamespaces(a, b);
  return shared
    ? `${shared} and the partition-wide entries of ${partition}`
    : `the partition-wide entries (proxy-defaults, mesh, exported-services …) of ${partition}`;
}

/** The namespaces both targets manage, in words (`namespace "web"`, `every namespace`), if any. */
function sharedNamespaces(a: Target, b: Target): string | undefined {
  const managed = (t: Target): 'all' | string[] => t.namespaces ?? [t.consul.namespace || 'default'];
  const [ma, mb] = [managed(a), managed(b)];
  if (ma === 'all' && mb === 'all') return 'every namespace';
  const listed = ma === 'all' ? (mb as string[]) : mb === 'all' ? ma : ma.filter((n) => mb.some((m) => sameTenancy(n, m)));
  return listed.length > 0 ? `namespace${listed.length === 1 ? '' : 's'} ${listed.map((n) => `"${n}"`).join(', ')}` : undefined;
}

/**
 * Where a Consul address connects, as the client does (src/adapters/consul/options.ts baseUrlOf):
 * host and port, with the path a proxy prefix may add. Spellings of one endpoint meet: the scheme's
 * default port written or not, host case and a trailing dot, IPv4-mapped IPv6, and the loopback
 * names (`localhost`, 127.0.0.1, ::1) as one host. Without a scheme the client uses http, or https
 * under CONSUL_HTTP_SSL, which this file does not know: a port-less one is either default port.
 * Host names are not resolved (loading must not depend on DNS), so two names of one cluster differ.
 * Absent: the environment's (''). An address no URL parses is compared as written, lower-cased.
 */
function consulEndpoints(address: string | undefined): string[] {
  if (!address) return [''];
  const raw = address.trim();
  const schemed = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  let url: URL;
  try {
    url = new URL(schemed ? raw : `http://${raw}`);
  } catch {
    return [raw.toLowerCase()];
  }
  const host = canonicalHost(url.hostname);
  const path = url.pathname.replace(/\/+$/, '');
  const ports = url.port ? [url.port] : !schemed ? ['80', '443'] : [url.protocol === 'https:' ? '443' : '80'];
  return ports.map((port) => `${host}:${port}${path}`);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0', '[::]']);

/** A URL's host (already lower-case, IPv4 and IPv6 in canonical form) with the spellings of one host made one. */
function canonicalHost(hostname: string): string {
  let host = hostname.replace(/\.$/, '');
  // ::ffff:a.b.c.d, which URL writes [::ffff:a00:5]: the IPv4 address itself.
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (mapped) {
    const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
    host = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return LOOPBACK_NAMES.has(host) ? 'loopback' : host;
}

/** Whether two addresses may connect to one endpoint (consulEndpoints). */
function sameConsulAddress(a: string | undefined, b: string | undefined): boolean {
  const ea = consulEndpoints(a);
  return consulEndpoints(b).some((e) => ea.includes(e));
}

/**
 * The file's YAML, or an error naming the file, line and column in one line: the `yaml` package's own
 * message spans several lines quoting the file, and an alias it refuses (unknown, or an alias bomb)
 * is a ReferenceError without a position.
 */
function parseYamlOf(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof YAMLError) {
      const at = e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
      throw new ConsulGitopsError('config', `${file}${at}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    if (e instanceof ReferenceError) throw new ConsulGitopsError('config', `${file}: ${e.message}`);
    throw e;
  }
}

/**
 * What zod found, in words: zod/mini says "Invalid input" for an unknown key or a wrong type. Values
 * are described by type only: a careless file may hold a token where a name was expected.
 */
function issueText(issue: z.core.$ZodIssue, document: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (k === '<<' ? `${quoteToken(k)} (a YAML merge key: not supported here; write the keys out)` : quoteToken(k))).join(', ');
    return `unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}`;
  }
  if (issue.code === 'invalid_type') {
    const got = valueAt(document, issue.path);
    if (got === undefined) return `required: expected ${issue.expected}`;
    // YAML reads 1e400 as Infinity, and zod's "expected number" would then say "got number".
    if (typeof got === 'number' && !Number.isFinite(got))
      return Number.isNaN(got) ? 'expected a finite number, got NaN' : 'expected a finite number, got one too large to represent (1e400 reads as Infinity)';
    // Only these words are quoted back: any other string may be a secret written in the wrong place.
    if (issue.expected === 'boolean' && typeof got === 'string' && /^(y|yes|n|no|on|off)$/i.test(got))
      return `expected boolean, got the string ${JSON.stringify(got)} (YAML 1.2 reads yes/no/on/off as text: write true or false)`;
    return `expected ${issue.expected}, got ${typeName(got)}`;
  }
  return issue.message;
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let v = document;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'binary';
  return typeof v === 'object' ? (v instanceof Date ? 'date' : 'object') : typeof v;
}

function withPathsFrom(file: TargetsFile, dir: string): TargetsFile {
  const targets = file.targets.map((t) => {
    const { tokenFile, caCert } = t.consul;
    const consul = {
      ...t.consul,
      ...(tokenFile ? { tokenFile: resolve(dir, tokenFile) } : {}),
      ...(caCert ? { caCert: resolve(dir, caCert) } : {}),
    };
    return { ...t, consul };
  });
  return { ...file, targets };
}

/** Where a target's `tokenFile` was named, for the error when it cannot be read (the path is not a secret; the token is). */
export function tokenFileOrigin(target: Pick<Target, 'name'>, file: string): string {
  return `tokenFile of target "${target.name}" in ${file}`;
}

/** Who named a target's CA file, for errors: `consul.caCert of target "dc1" in consul-gitops.yaml`. */
export function caCertOrigin(target: Pick<Target, 'name'>, file: string): string {
  return `consul.caCert of target "${target.name}" in ${file}`;
}

/** consul-gitops.yaml (or `--config FILE`), read from `cwd`; its relative paths are relative to its own folder. */
export async function loadTargets(path: string | undefined, cwd: string): Promise<TargetsFile> {
  const file = path ?? DEFAULT_TARGETS_FILE;
  const absolute = resolve(cwd, file);
  // A regular file only: a FIFO would hang every command, /dev/zero would fill memory.
  const read = readRegularFile(absolute, TARGETS_MAX_BYTES);
  if (!read.ok) {
    if (read.code === 'ENOENT' && !path) return defaultTargets();
    // Node's message repeats the absolute path raw; the path is shown as given, escaped like any name.
    throw new ConsulGitopsError('config', `cannot read ${escapeControl(file)}: ${read.code === 'ENOENT' ? 'no such file' : read.reason}`);
  }
  return parseTargetsFile(read.text, file, dirname(absolute));
}

/** Far over any real configuration: a bound, not a budget. */
const TARGETS_MAX_BYTES = 4 * 1024 * 1024;

/** The read limits in force: the `--max-file-size` flag over consul-gitops.yaml over the defaults. */
export function readLimitsOf(file: Pick<TargetsFile, 'limits'> | undefined, maxFileBytesFlag?: number): ReadLimits {
  const fromFile = (v: string | number | undefined) => (v === undefined ? undefined : parseByteSize(String(v)));
  return {
    maxFileBytes: maxFileBytesFlag ?? fromFile(file?.limits?.maxFileSize) ?? DEFAULT_READ_LIMITS.maxFileBytes,
    maxTreeBytes: fromFile(file?.limits?.maxTreeSize) ?? DEFAULT_READ_LIMITS.maxTreeBytes,
  };
}

/**
 * For `validate` and `render`, which read paths rather than one target: a file's CRDs are mapped
 * with the `crdNamespaces` of the target whose `dir` holds it (the deepest such dir; the first
 * target on a tie), as `plan` for that target would map them.
 */
export function crdNamespacesByDir(file: Pick<TargetsFile, 'targets'>): (path: string) => CrdNamespaces | undefined {
  if (!file.targets.some((t) => t.crdNamespaces)) return () => undefined;
  const holder = targetHoldingPath(file);
  return (path) => holder(path)?.crdNamespaces;
}

/**
 * For `validate`: whether a file's target runs Consul Enterprise (its `consulVersion` says `+ent`),
 * found as crdNamespacesByDir finds it. Consul CE's refusals of Enterprise features (credential
 * injection, PrioritizeByLocality) do not apply to such a file, as they do not in its `plan`.
 */
export function enterpriseByDir(file: Pick<TargetsFile, 'targets'>): (path: string) => boolean {
  if (!file.targets.some((t) => isEnterpriseVersion(t.consulVersion))) return () => false;
  const holder = targetHoldingPath(file);
  return (path) => isEnterpriseVersion(holder(path)?.consulVersion);
}

/** The target whose `dir` holds a path: the deepest such dir; the first target on a tie. */
export function targetHoldingPath<T extends { dir: string }>(file: { targets: readonly T[] }): (path: string) => T | undefined {
  const clean = (p: string) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const dirs = file.targets.map((t) => ({ dir: clean(t.dir), target: t }));
  return (path) => {
    const p = clean(path);
    let best: (typeof dirs)[number] | undefined;
    for (const d of dirs) {
      const holds = d.dir === '' || d.dir === '.' || p === d.dir || p.startsWith(`${d.dir}/`);
      if (holds && (!best || d.dir.length > best.dir.length)) best = d;
    }
    return best?.target;
  };
}
