// The mesh lockdown proposal (the guide's last step): which flags it sets, and, when
// MeshDestinationsOnly is held back, which services still reach outside the mesh.
import type { EvidenceWindow, ServiceRef } from '../core/advisor/model.ts';
import type { FileChange } from '../core/proposals/proposal.ts';
import { changeDiff } from './change-diff.ts';
import { capped, code, count, duration, fence, fitBody, PULL_REQUEST_REST, table, text, when } from './markdown.ts';

export interface OutsideMeshService {
  service: ServiceRef;
  /** Connections through the passthrough cluster (`original-destination`) inside the window. */
  connections: number;
  /** `connections` is an upper bound (a series first seen inside the window; passthrough.ts). */
  atMost?: boolean;
  lastSeenAt?: number;
}

export interface LockdownProposalInput {
  target: string;
  changes: readonly FileChange[];
  meshDestinationsOnly: boolean;
  /** Empty when MeshDestinationsOnly is proposed. */
  outsideMesh: readonly OutsideMeshService[];
  window: EvidenceWindow;
  /** Why the stats cannot show that no sidecar reaches outside the mesh (passthrough.ts `unknown`). */
  unknown?: readonly string[];
}

const PREFIX = 'consul-gitops:mesh-lockdown';
const MAX_ROWS = 200;

export function lockdownTitle(input: { meshDestinationsOnly: boolean }): string {
  return input.meshDestinationsOnly ? 'mTLS: lock the mesh down (no permissive mode, mesh destinations only)' : 'mTLS: lock the mesh down (no permissive mode)';
}

export function lockdownMarker(input: { target: string; meshDestinationsOnly: boolean }): string {
  const flags = input.meshDestinationsOnly ? 'permissive-off,mesh-destinations-only' : 'permissive-off';
  return `<!-- ${PREFIX} target=${encodeURIComponent(input.target)} flags=${flags} -->`;
}

export function parseLockdownMarker(body: string | null | undefined): { target: string; meshDestinationsOnly: boolean } | undefined {
  const m = new RegExp(`<!-- ${PREFIX} target=(\\S+) flags=(permissive-off(?:,mesh-destinations-only)?) -->`).exec(body ?? '');
  if (!m) return undefined;
  try {
    return { target: decodeURIComponent(m[1]), meshDestinationsOnly: m[2].includes('mesh-destinations-only') };
  } catch {
    return undefined;
  }
}

export function lockdownBody(input: LockdownProposalInput): string {
  const marker = lockdownMarker(input);
  const span = `${duration(input.window.end - input.window.start)} (${when(input.window.start)} to ${when(input.window.end)})`;
  const flags = [
    '- `AllowEnablingPermissiveMutualTLS = false`: no service can be set back to permissive mTLS. Every service in Git is strict, so nothing is permissive today.',
    input.meshDestinationsOnly
      ? `- \`TransparentProxy.MeshDestinationsOnly = true\`: sidecars no longer pass traffic to destinations outside the mesh. No sidecar used the passthrough cluster (\`original-destination\`) in the last ${span}.`
      : input.outsideMesh.length
        ? `- \`TransparentProxy.MeshDestinationsOnly\` is **not** changed: these services sent traffic outside the mesh through the passthrough cluster (\`original-destination\`) in the last ${span}. Give them a terminating gateway or an upstream, then this PR will add the flag.`
        : `- \`TransparentProxy.MeshDestinationsOnly\` is **not** changed: the stats do not cover the last ${span} well enough to show that no sidecar uses the passthrough cluster (\`original-destination\`). This PR will add the flag once they do.`,
  ].join('\n');
  const { shown, rest } = capped(input.outsideMesh, MAX_ROWS);
  const outside =
    input.meshDestinationsOnly || input.outsideMesh.length === 0
      ? []
      : [
          table(
            ['Service', 'Namespace', 'Partition', 'Connections outside the mesh', 'Last seen'],
            shown.map((o) => [
              code(o.service.name),
              code(o.service.namespace || 'default'),
              code(o.service.partition || 'default'),
              o.atMost ? `up to ${count(o.connections)}` : count(o.connections),
              when(o.lastSeenAt),
            ]),
          ) + (rest ? `\n\n… and ${rest} more services.` : ''),
        ];
  // Inside the body before it is fitted: appended after, it took a body at the limit past it (GitHub answers 422).
  const unknown = input.unknown?.length
    ? [
        `_MeshDestinationsOnly is held back because the stats cannot show that no sidecar reaches outside the mesh: ${text(input.unknown.slice(0, 5).join('; '))}._`,
      ]
    : [];
  const sections = [
    marker,
    `## Lock the mesh down (${code(input.target)})`,
    flags,
    ...outside,
    ...unknown,
    `### The change`,
    input.changes.map((c) => fence('diff', changeDiff(c))).join('\n\n'),
    `---\n_Proposed by consul-gitops, the last step of the permissive-mTLS migration._`,
  ];
  return fitBody(sections.join('\n\n') + '\n', marker, undefined, PULL_REQUEST_REST);
}
