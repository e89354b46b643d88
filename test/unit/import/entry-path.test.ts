// Where imported files go: Consul names are made safe as file names, never paths that climb out.
import { describe, expect, it } from 'vitest';
import { entryPath } from '../../../src/core/import/entry-path.ts';

const id = (name: string, extra: { namespace?: string; partition?: string } = {}) => ({
  kind: 'service-defaults',
  name,
  namespace: extra.namespace ?? '',
  partition: extra.partition ?? '',
});

describe('entryPath', () => {
  it('lays out <dir>/<kind>/<name>.<ext>', () => {
    expect(entryPath('config-entries', id('web'), 'hcl')).toEqual({ ok: true, path: 'config-entries/service-defaults/web.hcl' });
  });
  it('adds partition and namespace folders only when not default', () => {
    expect(entryPath('d/', id('web', { namespace: 'default', partition: 'default' }), 'hcl')).toEqual({ ok: true, path: 'd/service-defaults/web.hcl' });
    expect(entryPath('d', id('web', { namespace: 'team-a', partition: 'eu' }), 'json')).toEqual({
      ok: true,
      path: 'd/partition-eu/namespace-team-a/service-defaults/web.json',
    });
  });
  it('escapes what a file system would read as a path: slashes, dot-dot, wildcards, percent', () => {
    const seg = (name: string) => (entryPath('d', id(name), 'hcl') as { path: string }).path.split('/').slice(2).join('/');
    expect(seg('../../etc/passwd')).toBe('%2E.%2F..%2Fetc%2Fpasswd.hcl');
    expect(seg('..')).toBe('%2E..hcl');
    expect(seg('.hidden')).toBe('%2Ehidden.hcl');
    expect(seg('*')).toBe('%2A.hcl');
    expect(seg('a\\b')).toBe('a%5Cb.hcl');
    expect(seg('100%')).toBe('100%25.hcl');
    expect(seg('api.v2')).toBe('api.v2.hcl');
  });
  it('percent-encodes control characters like any other (the file keeps the real name inside)', () => {
    expect(entryPath('d', id('web\nx\u001b'), 'hcl')).toEqual({ ok: true, path: 'd/service-defaults/web%0Ax%1B.hcl' });
    expect(entryPath('d', id('web', { namespace: 'a\u0000' }), 'hcl')).toEqual({ ok: true, path: 'd/namespace-a%00/service-defaults/web.hcl' });
  });
  it('lower-cases partition and namespace folders: Consul names them case-insensitively', () => {
    expect(entryPath('d', id('Web', { namespace: 'Team', partition: 'EU' }), 'hcl')).toEqual({
      ok: true,
      path: 'd/partition-eu/namespace-team/service-defaults/Web.hcl',
    });
  });
  it('refuses an empty name, naming the field', () => {
    expect(entryPath('d', id(''), 'hcl')).toMatchObject({ ok: false, field: 'Name' });
  });
});
