// The process's registry of secret values (src/known-secrets.ts) as the logger reads it: a value
// loaded after the log was made is masked from then on, in every form a line may carry it; a value
// too short to mask is said once, by where it came from, never by its value.
import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/runtime/logger.ts';
import { KnownSecrets, MAX_KNOWN_VALUES } from '../../src/known-secrets.ts';

function capture(registry: KnownSecrets) {
  const lines: string[] = [];
  return { log: createLog({ registry, sink: (l) => lines.push(l) }), lines };
}

describe('a log and the registry of known secrets', () => {
  it('masks a secret loaded after the log was made, and the rotated one after it, in children too', () => {
    const registry = new KnownSecrets();
    const { log, lines } = capture(registry);
    const child = log.withCorrelationId('delivery-1');
    log('info', 'before: first-secret-value');
    registry.add('first-secret-value', 'secret consul-gitops/token');
    child('info', 'after: first-secret-value');
    registry.add('rotated-secret-value', 'secret consul-gitops/token');
    log('info', 'rotated: rotated-secret-value, old: first-secret-value');
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['before: first-secret-value', 'after: [redacted]', 'rotated: [redacted], old: [redacted]']);
  });

  it('masks the JSON-escaped, doubly escaped, URL-encoded, form-encoded and base64 forms', () => {
    const registry = new KnownSecrets();
    const secret = 'p@ss "word"/+ with\\slash';
    registry.add(secret);
    const { log, lines } = capture(registry);
    const forms = [
      secret,
      JSON.stringify(secret),
      JSON.stringify(JSON.stringify(secret)),
      encodeURIComponent(secret),
      new URLSearchParams({ secret }).toString(),
      Buffer.from(secret).toString('base64'),
    ];
    for (const f of forms) log('error', 'echoed', { body: f, nested: { text: `x${f}y` } });
    for (const line of lines) {
      expect(line).toContain('[redacted]');
      for (const f of forms) expect(line).not.toContain(f);
      expect(line).not.toContain('p@ss');
      expect(line).not.toContain('cEBzcyAi'); // base64 of its start
    }
  });

  it("masks a PEM key's base64 lines wherever one is quoted, also from a key given with \\n escapes", () => {
    const registry = new KnownSecrets();
    const body = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK'];
    registry.add(`-----BEGIN RSA PRIVATE KEY-----\\n${body.join('\\n')}\\n-----END RSA PRIVATE KEY-----\\n`, 'env GITHUB_APP_PRIVATE_KEY');
    const { log, lines } = capture(registry);
    log('error', `crypto said: bad line ${body[1]}`);
    log('error', `joined ${body.join('')}`);
    expect(lines.join('\n')).not.toContain(body[1]);
    expect(lines.join('\n')).not.toContain(body[0]);
  });

  it('warns once, naming where it came from, about a secret too short to mask; the value stays out of the warning', () => {
    const registry = new KnownSecrets();
    registry.add('abc12', 'env CONSUL_HTTP_TOKEN');
    const { log, lines } = capture(registry);
    log('info', 'one');
    log('info', 'two');
    registry.add('abc12', 'env CONSUL_HTTP_TOKEN');
    log('info', 'three');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((p) => p.message)).toEqual([
      'A secret (env CONSUL_HTTP_TOKEN) is shorter than 6 characters: it cannot be masked in logs; use a longer one',
      'one',
      'two',
      'three',
    ]);
    expect(parsed[0]).toMatchObject({ level: 'WARN', secret: 'env CONSUL_HTTP_TOKEN' });
    expect(lines[0]).not.toContain('abc12');
  });

  it('keeps the newest values when rotations pass the limit', () => {
    const registry = new KnownSecrets();
    for (let i = 0; i <= MAX_KNOWN_VALUES; i++) registry.add(`rotated-value-${String(i).padStart(4, '0')}`);
    expect(registry.mask('rotated-value-0000')).toBe('rotated-value-0000');
    expect(registry.mask(`rotated-value-${String(MAX_KNOWN_VALUES).padStart(4, '0')}`)).toBe('[redacted]');
  });
});
