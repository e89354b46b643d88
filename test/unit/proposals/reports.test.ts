// The rendered proposals: golden bodies (UPDATE_GOLDEN=1 rewrites them), the hidden marker, the
// size limit, and names that try to be markup.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposeStrictMode } from '../../../src/core/proposals/propose-strict.ts';
import { proposeMeshLockdown } from '../../../src/core/proposals/propose-lockdown.ts';
import { strictProposalBody, strictProposalTitle } from '../../../src/reports/strict-pr.ts';
import { evidenceHash, parseProposalMarker } from '../../../src/reports/proposal-marker.ts';
import { lockdownBody, lockdownTitle, parseLockdownMarker } from '../../../src/reports/lockdown-pr.ts';
import { plaintextReturnedComment } from '../../../src/reports/plaintext-returned.ts';
import { parsePostureMarker, postureBody, postureTitle } from '../../../src/reports/posture-dashboard.ts';
import { GITHUB_BODY_LIMIT } from '../../../src/reports/markdown.ts';
import { instance, readyVerdict, WINDOW } from './sample-verdict.ts';

const dir = join(import.meta.dirname, '../../fixtures/proposals/reports');

function matchesGolden(name: string, actual: string): void {
  const path = join(dir, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const ordersHcl = '# orders\nKind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive" # during the walk\n';

function ordersChange() {
  const p = proposeStrictMode({
    files: [{ path: 'services/orders.hcl', text: ordersHcl }],
    service: readyVerdict().service,
    origin: { kind: 'service-defaults' },
  });
  if (!p.ok) throw new Error(p.reason);
  return p.changes;
}

describe('strict-mode PR', () => {
  it('has the title and the golden body: evidence, chart, one-line diff, verification, marker', () => {
    const v = readyVerdict();
    expect(strictProposalTitle(v)).toBe('mTLS: move orders to strict');
    const body = strictProposalBody({
      verdict: v,
      changes: ordersChange(),
      intentionSources: ['web', 'batch'],
      statsSource: 'prometheus http://prometheus:9090',
    });
    matchesGolden('strict-pr.md', body);
    expect(body).toContain('```mermaid\nxychart-beta\n');
    expect(body).toContain('-MutualTLSMode = "permissive" # during the walk\n+MutualTLSMode = "strict" # during the walk');
  });

  it('carries a marker that parses back to the service and the evidence hash', () => {
    const v = readyVerdict();
    const body = strictProposalBody({ verdict: v, changes: ordersChange(), intentionSources: [], statsSource: 'envoy' });
    expect(parseProposalMarker(body)).toEqual({ service: 'default/default/orders', evidence: evidenceHash(v) });
    expect(parseProposalMarker('no marker here')).toBeUndefined();
  });

  it('keeps the evidence hash when only the window slides, changes it when plaintext moves', () => {
    const v = readyVerdict();
    const slid = {
      ...v,
      evidence: { ...v.evidence, window: { start: WINDOW.start + 3_600_000, end: WINDOW.end + 3_600_000 }, mtls: { ...v.evidence.mtls, handshakes: 41_000 } },
    };
    expect(evidenceHash(slid)).toBe(evidenceHash(v));
    const moved = { ...v, evidence: { ...v.evidence, permissive: { ...v.evidence.permissive, connections: 1 } } };
    expect(evidenceHash(moved)).not.toBe(evidenceHash(v));
  });

  it("stays under GitHub's body limit with 20,000 instances, counting the ones it folds, marker kept", () => {
    const many = Array.from({ length: 20_000 }, (_, i) => instance(`orders-${'x'.repeat(40)}-${i}`));
    const v = readyVerdict(many);
    const body = strictProposalBody({
      verdict: v,
      changes: ordersChange(),
      intentionSources: Array.from({ length: 5000 }, (_, i) => `caller-${i}`),
      statsSource: 'envoy',
    });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toContain('… and 19900 more instances (20000 in all).');
    expect(parseProposalMarker(body)?.service).toBe('default/default/orders');
  });

  it('renders hostile instance names as text: no table break, no forged marker, no HTML', () => {
    const evil = 'a|b --> <!-- consul-gitops:strict-proposal service=default/default/payments evidence=deadbeef0000 --> <img src=x>\n| x';
    const v = readyVerdict([instance(evil)]);
    const body = strictProposalBody({ verdict: v, changes: ordersChange(), intentionSources: [evil], statsSource: 'envoy' });
    expect(parseProposalMarker(body)?.service).toBe('default/default/orders');
    const outsideCode = body.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode.match(/<!--/g)).toHaveLength(1);
    const row = body.split('\n').find((l) => l.startsWith('| `a'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(11);
  });
});

describe('lockdown PR', () => {
  const meshHcl = 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n';
  it('sets both flags when no sidecar reached outside the mesh', () => {
    const p = proposeMeshLockdown({ files: [{ path: 'mesh.hcl', text: meshHcl }], meshDestinationsOnly: true });
    if (!p.ok) throw new Error(p.reason);
    const body = lockdownBody({ target: 'prod', changes: p.changes, meshDestinationsOnly: true, outsideMesh: [], window: WINDOW });
    expect(lockdownTitle({ meshDestinationsOnly: true })).toContain('mesh destinations only');
    matchesGolden('lockdown-both.md', body);
    expect(parseLockdownMarker(body)).toEqual({ target: 'prod', meshDestinationsOnly: true });
  });

  it('holds MeshDestinationsOnly back and lists the services still reaching outside', () => {
    const p = proposeMeshLockdown({ files: [{ path: 'mesh.hcl', text: meshHcl }], meshDestinationsOnly: false });
    if (!p.ok) throw new Error(p.reason);
    const outsideMesh = [{ service: { name: 'billing', namespace: 'default', partition: 'default' }, connections: 1234, lastSeenAt: WINDOW.end - 3_600_000 }];
    const body = lockdownBody({ target: 'prod', changes: p.changes, meshDestinationsOnly: false, outsideMesh, window: WINDOW });
    matchesGolden('lockdown-held-back.md', body);
    expect(parseLockdownMarker(body)).toEqual({ target: 'prod', meshDestinationsOnly: false });
  });
});

describe('plaintext came back', () => {
  it('names the instance and when', () => {
    const v = readyVerdict([
      instance('orders-a'),
      instance('orders-b', {
        permissive: {
          connections: { first: 412, last: 415, increase: 3, lastRiseAt: Date.UTC(2026, 10, 30, 9, 12) },
          rxBytes: { first: 0, last: 900, increase: 900 },
        },
      }),
    ]);
    const comment = plaintextReturnedComment({ ...v, verdict: 'still-receiving-plaintext' });
    matchesGolden('plaintext-returned.md', comment);
    expect(comment).toContain('`orders-b`: 3 plaintext connections, 900 bytes in, last at 2026-11-30 09:12 UTC');
    expect(comment).not.toContain('orders-a');
  });
});

describe('posture dashboard', () => {
  it('lists every permissive service with verdict, reason, last plaintext and PR; mesh flags; drift', () => {
    const ready = readyVerdict();
    const still = {
      ...readyVerdict(),
      service: { name: 'billing', namespace: 'default', partition: 'default' },
      verdict: 'still-receiving-plaintext' as const,
      reasons: ['instance billing-1 received 12 plaintext connections'],
    };
    const body = postureBody({
      target: 'prod',
      report: {
        window: WINDOW,
        source: 'prometheus http://prometheus:9090',
        services: [ready, still],
        drift: [
          {
            name: 'cart',
            namespace: 'default',
            partition: 'default',
            repair: 'apply --adopt repairs it: service-defaults/cart in Consul lacks the consul-gitops ownership marker',
          },
        ],
      },
      pullRequests: new Map([['default/default/orders', 'https://github.com/acme/mesh/pull/12']]),
      mesh: { allowEnablingPermissiveMutualTLS: true, meshDestinationsOnly: false },
      generatedAt: WINDOW.end,
    });
    expect(postureTitle('prod')).toBe('mTLS posture: prod');
    matchesGolden('posture.md', body);
    expect(parsePostureMarker(body)).toEqual({ target: 'prod' });
  });
});
