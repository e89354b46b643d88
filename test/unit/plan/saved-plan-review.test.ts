// The difference between a reviewed plan and the one a merge applies names entries and fields.
import { describe, expect, it } from 'vitest';
import { planChanges } from '../../../src/core/plan/plan.ts';
import { renderTree } from '../../../src/core/render.ts';
import { describeDifference, differencesFromReviewed, reviewedChanges } from '../../../src/core/plan/saved-plan-review.ts';

const planOf = (files: Record<string, string>) =>
  planChanges(renderTree(Object.entries(files).map(([path, text]) => ({ path, text }))).entries, [], { prune: false, adopt: false });

describe('differencesFromReviewed', () => {
  it('names the fields written differently, and entries only one plan writes', () => {
    const reviewed = reviewedChanges(planOf({ 'api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }));
    const applied = reviewedChanges(
      planOf({ 'api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n', 'web.hcl': 'Kind = "service-defaults"\nName = "web"\n' }),
    );
    expect(differencesFromReviewed(reviewed, applied).map(describeDifference)).toEqual([
      'service-defaults/api: Protocol differs from the reviewed plan',
      'service-defaults/web: create not in the reviewed plan',
    ]);
    expect(differencesFromReviewed(applied, applied)).toEqual([]);
    expect(differencesFromReviewed(applied, reviewed).map(describeDifference)).toContain('service-defaults/web: reviewed create, not applied');
  });

  it('keeps no entry content, only hashes (a private key never reaches the reconciler state)', () => {
    const r = reviewedChanges(planOf({ 'api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }));
    expect(JSON.stringify(r)).not.toContain('"http"');
  });
});
