// The message the webhook (and any other trigger) sends to the reconcile function. It travels as
// the payload of an asynchronous Lambda invocation, so the reconcile side must parse it again:
// `ReconcileRequest.parse(event)`.
import { z } from 'zod';

/** A Git object id: SHA-1 (40 hex digits) or SHA-256 (64) for repositories using SHA-256. */
const CommitSha = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'expected a full lower-case commit SHA');

export const Repository = z.object({
  owner: z.string().min(1),
  name: z.string().min(1),
});
export type Repository = z.infer<typeof Repository>;

export const PullRequestRef = z.object({
  number: z.number().int().positive(),
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
    ref: z.string().startsWith('refs/'),
    deliveryId: z.string().min(1),
    mode: z.enum(['apply', 'plan']),
    pullRequest: PullRequestRef.optional(),
    /** Which configured target (Consul cluster) this is for, when a deployment has several. */
    target: z.string().min(1).optional(),
  })
  .refine((r) => r.pullRequest === undefined || r.mode === 'plan', {
    message: 'a pull request is only ever planned, never applied',
    path: ['mode'],
  })
  .refine((r) => r.pullRequest === undefined || r.pullRequest.headSha === r.sha, {
    message: 'sha must be the pull request head commit',
    path: ['sha'],
  });
export type ReconcileRequest = z.infer<typeof ReconcileRequest>;

/** The schedule's request: plan the branch HEAD against Consul, report drift, self-heal if configured. */
export const DriftRequest = z.object({
  mode: z.literal('drift'),
  repository: Repository,
  branch: z.string().min(1),
  /** Unique per scheduled run (EventBridge event id), for the logs. */
  deliveryId: z.string().min(1),
  target: z.string().min(1).optional(),
});
export type DriftRequest = z.infer<typeof DriftRequest>;

/** Anything the reconcile function is invoked with. */
export const ReconcileEvent = z.union([DriftRequest, ReconcileRequest]);
export type ReconcileEvent = z.infer<typeof ReconcileEvent>;
