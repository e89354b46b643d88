// core/target-version.ts: which Consul version a plan is for, and what the user is told about it.
import { describe, expect, it } from 'vitest';
import { chooseTargetVersion } from '../../../src/core/target-version.ts';
import { SUPPORTED_CONSUL } from '../../../src/model/consul-versions.ts';

const reports = (version: string) => ({ known: true as const, version });

describe('chooseTargetVersion', () => {
  it("uses the server's version, in canonical form, when none is configured; an Enterprise server's keeps +ent", () => {
    expect(chooseTargetVersion('prod', undefined, reports('2.0.4'))).toEqual({ version: '2.0.4', warnings: [], notices: [] });
    expect(chooseTargetVersion('prod', undefined, reports('2.0.4+ent'))).toEqual({ version: '2.0.4+ent', warnings: [], notices: [] });
  });

  it('a configured minor (`2.0`) agrees with any patch of it; a configured patch must match', () => {
    expect(chooseTargetVersion('prod', '2.0', reports('2.0.4')).warnings).toEqual([]);
    expect(chooseTargetVersion('prod', '2.0.3', reports('2.0.4')).warnings[0]?.message).toContain(
      'consulVersion "2.0.3" but the server reports Consul "2.0.4"',
    );
  });

  it('a version string the server sends that is not a version falls back with a notice, its text escaped', () => {
    const r = chooseTargetVersion('prod', undefined, reports('dev\u001b[31m'));
    expect(r.version).toBeUndefined();
    expect(r.notices[0]).toContain(`not a version); planning for ${SUPPORTED_CONSUL.newest}`);
    expect(r.notices[0]).not.toContain('\u001b');
  });
});
