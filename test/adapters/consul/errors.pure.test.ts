import { describe, expect, it } from 'vitest';
import { classifyResponse, classifyServerError, classifyTransportError, redact } from '../../../src/adapters/consul/errors.ts';

describe('classifyResponse', () => {
  it.each([
    [429, 'rate limit exceeded', 'unavailable', true, false],
    [503, 'rate limit exceeded, try again later', 'unavailable', true, false],
    [503, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination', 'unavailable', true, true],
    [503, '', 'unavailable', true, true],
    [502, '', 'unavailable', true, true],
    [504, '', 'unavailable', true, true],
    [500, 'No cluster leader', 'unavailable', true, false],
    [500, 'rpc error making call: No cluster leader', 'unavailable', true, false],
    [500, 'rpc error making call: EOF', 'unavailable', true, true],
    [500, 'rpc error making call: rpc error making call: EOF', 'unavailable', true, true],
    [500, 'rpc error making call: read tcp 10.0.0.1:5->10.0.0.2:8300: i/o timeout', 'unavailable', true, true],
    [500, 'rpc error making call: write tcp 10.0.0.1:5->10.0.0.2:8300: write: broken pipe', 'unavailable', true, true],
    [500, 'rpc error making call: leadership lost while committing log', 'unavailable', true, true],
    [500, 'rpc error getting client: failed to get conn: dial tcp 10.0.0.2:8300: connect: connection refused', 'unavailable', true, false],
    [500, 'Invalid MutualTLSMode "x". Must be one of "", "strict", or "permissive".', 'validation', false, false],
    [
      500,
      'rpc error making call: discovery chain "api" uses a protocol "tcp" that does not permit advanced routing or splitting behavior',
      'validation',
      false,
      false,
    ],
    [500, "rpc error making call: Bad ConnectTimeout '-1s', must be >= 0", 'validation', false, false],
    [500, 'EOF', 'validation', false, false], // unforwarded EOF is not a transport message Consul emits
    [500, 'invalid config entry kind: nope', 'validation', false, false],
    [400, 'Request decoding failed: EOF', 'bad-request', false, false],
    [405, 'method PATCH not allowed', 'bad-request', false, false],
    [403, 'ACL not found', 'permission', false, false],
    [401, '', 'permission', false, false],
    [404, 'Config entry not found for "a" / "b"', 'not-found', false, false],
    [409, '', 'conflict', false, false],
    [501, '', 'protocol', false, false],
  ] as const)('%i %j → %s (transient=%s, possiblyApplied=%s)', (status, body, kind, transient, possiblyApplied) => {
    expect(classifyResponse(status, body)).toMatchObject({ kind, transient, possiblyApplied, status, message: body });
  });

  it('keeps the body verbatim apart from surrounding whitespace', () => {
    expect(classifyResponse(500, 'Request decoding failed: 1 error occurred:\n\t* invalid config key "x"\n\n').message).toBe(
      'Request decoding failed: 1 error occurred:\n\t* invalid config key "x"',
    );
  });

  it('carries Retry-After', () => {
    expect(classifyResponse(429, '', 2000).retryAfterMs).toBe(2000);
  });
});

describe('classifyServerError', () => {
  it('does not treat validation messages that end like transport errors as transport errors unless forwarded', () => {
    expect(classifyServerError('session shutdown')).toBeUndefined();
    expect(classifyServerError('rpc error making call: session shutdown')).toEqual({ possiblyApplied: true });
  });
});

describe('classifyTransportError', () => {
  const err = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it.each([
    ['ECONNREFUSED', 'unavailable', true, false],
    ['UND_ERR_CONNECT_TIMEOUT', 'unavailable', true, false],
    ['ECONNRESET', 'unavailable', true, true],
    ['UND_ERR_SOCKET', 'unavailable', true, true],
    ['EPIPE', 'unavailable', true, true],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true, true],
    ['ENOTFOUND', 'unavailable', false, false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'protocol', false, false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'protocol', false, false],
  ] as const)('%s → %s (transient=%s, possiblyApplied=%s)', (code, kind, transient, possiblyApplied) => {
    expect(classifyTransportError(err(code))).toMatchObject({ kind, transient, possiblyApplied, code });
  });
});

describe('redact', () => {
  it('replaces every occurrence of the secret', () => {
    expect(redact('a s3cret b s3cret', 's3cret')).toBe('a <redacted> b <redacted>');
    expect(redact('unchanged', undefined)).toBe('unchanged');
  });
});
