// The message the webhook (and any other trigger) sends to the reconcile function. It travels as
// the payload of an asynchronous Lambda invocation, so the reconcile side must parse it again:
// `ReconcileRequest.parse(event)`.
// zod/mini keeps the webhook bundle small (full zod alone is ~440 KB minified).
import * as z from 'zod/mini';

const nonEmpty = () => z.string().check(z.minLength(1));

/** A Git object id: SHA-1 (40 hex digits) or SHA-256 (64) for repositories using SHA-256. */
const CommitSha = z.string().check(z.regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'expected a full lower-case commit SHA'));

export const Repository = z.object({
  owner: nonEmpty(),
  name: nonEmpty(),
});
export type Repository = z.infer<typeof Repository>;

export const PullRequestRef = z.object({
  number: z.int().check(z.positive()),
  headSha: CommitSha,
});
export type PullRequestRef = z.infer<typeof PullRequestRef>;

/**
 * What to reconcile, and how.
 *
 * - `mode: 'apply'`: plan and apply the tree at `sha` (a push to the target's branch).
 * - `mode: 'plan'`: plan only, never write to Consul (a pull request; `pullRequest` says which).
 *
 * `deliveryId` is GitHub's `X-GitHub-Delivery`: a redelivered webhook carries the same id, so the
 * reconcile side can refuse to do the same work twice across containers (the webhook's own memory of
 * recent deliveries only covers one container).
 *
 * @example
 * ReconcileRequest.parse({
 *   repository: { owner: 'acme', name: 'mesh-config' },
 *   sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
 *   ref: 'refs/heads/main',
 *   deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
 *   mode: 'apply',
 * });
 */
export const ReconcileRequest = z
  .object({
    repository: Repository,
    sha: CommitSha,
    ref: z.string().check(z.startsWith('refs/')),
    deliveryId: nonEmpty(),
    mode: z.enum(['apply', 'plan']),
    pullRequest: z.optional(PullRequestRef),
    /** Which configured target (Consul cluster) this is for, when a deployment has several. */
    target: z.optional(nonEmpty()),
    /**
     * The commit this one replaces (a push's `before`, a pull request's previous head): when this
     * run reports, a `pending` status its own run left there is settled as superseded.
     */
    supersedes: z.optional(CommitSha),
    /**
     * SHA-256 (hex) of the webhook body: the signature covers the body but not `deliveryId`, so a
     * handled delivery is remembered by both (deliveries.ts). Absent from other triggers.
     */
    payloadDigest: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256'))),
  })
  .check(
    z.refine((r) => r.pullRequest === undefined || r.mode === 'plan', {
      message: 'a pull request is only ever planned, never applied',
      path: ['mode'],
    }),
    z.refine((r) => r.pullRequest === undefined || r.pullRequest.headSha === r.sha, {
      message: 'sha must be the pull request head commit',
      path: ['sha'],
    }),
  );
export type ReconcileRequest = z.infer<typeof ReconcileRequest>;

/** The schedule's request: plan the branch HEAD against Consul, report drift, self-heal if configured. */
export const DriftRequest = z.object({
  mode: z.literal('drift'),
  repository: Repository,
  branch: nonEmpty(),
  /** Unique per scheduled run (EventBridge event id), for the logs. */
  deliveryId: nonEmpty(),
  target: z.optional(nonEmpty()),
});
export type DriftRequest = z.infer<typeof DriftRequest>;

/** Anything the reconcile function is invoked with. */
export const ReconcileEvent = z.union([DriftRequest, ReconcileRequest]);
export type ReconcileEvent = z.infer<typeof ReconcileEvent>;
