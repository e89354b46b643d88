// driftMode: propose, plan → file changes: several drifted entries of one file edited one after the
// other, and what no file change can express listed with why, never silently dropped.
import { describe, expect, it } from 'vitest';
import { proposeDriftChanges } from '../../../src/core/import/drift-proposal.ts';
import { planChanges } from '../../../src/core/plan/plan.ts';
import { renderTree } from '../../../src/core/render.ts';
import { parseTargetsFile } from '../../../src/config/targets.ts';

const ours = (source: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': source });
const files = [
  { path: 'all.yaml', text: '# two services\nKind: service-defaults\nName: web\nProtocol: http\n---\nKind: service-defaults\nName: api\nProtocol: http\n' },
  { path: 'gone.hcl', text: 'Kind = "service-defaults"\nName = "gone"\n' },
];

describe('proposeDriftChanges', () => {
  it('edits both drifted entries of one file and lists what it cannot propose', () => {
    const live = [
      { entry: { Kind: 'service-defaults', Name: 'web', Protocol: 'grpc', Meta: ours('all.yaml') }, modifyIndex: 5 },
      { entry: { Kind: 'service-defaults', Name: 'api', Protocol: 'tcp', Meta: ours('all.yaml') }, modifyIndex: 6 },
      { entry: { Kind: 'service-defaults', Name: 'orphan', Meta: ours('orphan.hcl') }, modifyIndex: 7 },
    ];
    const plan = planChanges(renderTree(files).entries, live, { prune: true, adopt: false });
    const p = proposeDriftChanges(files, plan);
    expect(p.changes).toEqual([
      {
        path: 'all.yaml',
        before: files[0].text,
        after: '# two services\nKind: service-defaults\nName: web\nProtocol: grpc\n---\nKind: service-defaults\nName: api\nProtocol: tcp\n',
      },
    ]);
    expect(p.proposed.map((e) => [e.entry, e.fields, e.how])).toEqual([
      ['service-defaults/api', ['Protocol'], 'in-place'],
      ['service-defaults/web', ['Protocol'], 'in-place'],
    ]);
    expect(p.notProposed.map((e) => [e.entry, e.reason.split(':')[0]])).toEqual([
      ['service-defaults/gone', 'not in Consul (deleted outside Git?)'],
      ['service-defaults/orphan', 'in Consul and marked as managed by consul-gitops, but no file defines it'],
    ]);
  });
});

describe('consul-gitops.yaml driftMode', () => {
  it('defaults to report, and refuses propose together with selfHeal, naming the field', () => {
    expect(parseTargetsFile('targets:\n  - name: dc1\n').targets[0].driftMode).toBe('report');
    expect(() => parseTargetsFile('targets:\n  - name: dc1\n    selfHeal: true\n    driftMode: propose\n')).toThrow(
      /^consul-gitops\.yaml: targets\.0\.driftMode: selfHeal: true reverts Consul/,
    );
    expect(() => parseTargetsFile('targets:\n  - name: dc1\n    driftMode: revert\n')).toThrow('targets.0.driftMode: expected "report" or "propose"');
  });
});
