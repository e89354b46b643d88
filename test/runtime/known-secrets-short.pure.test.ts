// A value too short to mask is said once per value: the CLI registers a token by where it read it,
// and the Consul client registers the same token again; the user must see one notice, not two.
import { describe, expect, it } from 'vitest';
import { KnownSecrets } from '../../src/known-secrets.ts';

describe('KnownSecrets: values too short to mask', () => {
  it('names one value registered twice by its first source only', () => {
    const secrets = new KnownSecrets();
    secrets.add('abc12', 'env CONSUL_HTTP_TOKEN');
    secrets.add('abc12', 'the Consul token');
    expect(secrets.tooShort()).toEqual(['env CONSUL_HTTP_TOKEN']);
  });

  it('names each distinct short value', () => {
    const secrets = new KnownSecrets();
    secrets.add('abc12', 'env CONSUL_HTTP_TOKEN');
    secrets.add('xyz', 'env GITHUB_TOKEN');
    expect(secrets.tooShort()).toEqual(['env CONSUL_HTTP_TOKEN', 'env GITHUB_TOKEN']);
    expect(secrets.mask('abc12 xyz')).toBe('abc12 xyz');
  });
});
