// The hidden marker in a proposal's body: which service it is for and which evidence it carries,
// so later runs find their own PR and tell fresh evidence from the same evidence.
import { createHash } from 'node:crypto';
import { serviceKey, type ServiceRef, type ServiceVerdict } from '../core/advisor/model.ts';

export interface ProposalMarker {
  /** `<partition>/<namespace>/<name>`, lower-case, `default` for CE. */
  service: string;
  evidence: string;
}

const PREFIX = 'consul-gitops:strict-proposal';

/**
 * A short hash of what the verdict rests on: the verdict, where the mode comes from, the instances,
 * their Envoy restarts (each one is a blind spot the body names: a new count rewrites the body
 * with this run's numbers) and the plaintext totals. Window bounds and mTLS counts move on every
 * run and are left out, so an unchanged situation keeps its hash.
 */
export function evidenceHash(v: ServiceVerdict): string {
  const e = v.evidence;
  const relevant = {
    service: serviceKey(v.service),
    verdict: v.verdict,
    origin: v.origin.kind,
    instances: e.instances.map((i) => i.instance).sort(),
    restarts: e.instances.map((i) => `${i.instance} ${i.restarts}`).sort(),
    permissive: [e.permissive.connections, e.permissive.rxBytes, e.permissive.txBytes, e.permissive.lastSeenAt ?? null],
    problems: [...e.problems].sort(),
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 12);
}

/** Each part URL-encoded so no name can break the comment or forge another field. */
function encodedKey(s: ServiceRef): string {
  return serviceKey(s).split('/').map(encodeURIComponent).join('/');
}

export function proposalMarker(v: ServiceVerdict): string {
  return `<!-- ${PREFIX} service=${encodedKey(v.service)} evidence=${evidenceHash(v)} -->`;
}

const MARKER_RE = new RegExp(`<!-- ${PREFIX} service=([^\\s/]+)/([^\\s/]+)/([^\\s/]+) evidence=([0-9a-f]{6,64}) -->`);

/** The marker in a body, if any (the first one: the bot writes it at the top). */
export function parseProposalMarker(body: string | null | undefined): ProposalMarker | undefined {
  const m = MARKER_RE.exec(body ?? '');
  if (!m) return undefined;
  try {
    const parts = [m[1], m[2], m[3]].map(decodeURIComponent);
    return { service: parts.join('/'), evidence: m[4] };
  } catch {
    return undefined;
  }
}
