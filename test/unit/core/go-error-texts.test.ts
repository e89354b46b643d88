// Issue 11 class 5: an inline certificate or a JWKS URI that Consul refuses is refused with the text
// Go gives it (crypto/x509 parser.go parseCertificate, crypto/tls X509KeyPair and parsePrivateKey,
// x509.ParsePKCS1PrivateKey; net/url parse, parseHost, unescape, via url.ParseRequestURI), through
// `validate` and through a PUT to the dev server, which answers as Consul does.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { TEST_CERT, TEST_KEY } from '../../fixtures/certs.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

const pem = (type: string, der: Buffer) => `-----BEGIN ${type}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${type}-----\n`;
const derOf = (text: string) => Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'sec1' });

const CERT_CASES: [string, { Certificate: string; PrivateKey: string }, string][] = [
  ['key and certificate swapped', { Certificate: TEST_KEY, PrivateKey: TEST_CERT }, 'failed to parse certificate: x509: malformed tbs certificate'],
  [
    'bytes after the certificate',
    { Certificate: pem('CERTIFICATE', Buffer.concat([derOf(TEST_CERT), Buffer.from([5, 0])])), PrivateKey: TEST_KEY },
    'failed to parse certificate: x509: trailing data',
  ],
  [
    'a certificate where the key belongs',
    { Certificate: TEST_CERT, PrivateKey: TEST_CERT },
    'tls: found a certificate rather than a key in the PEM for the private key',
  ],
  [
    'no block typed CERTIFICATE',
    { Certificate: pem('TRUSTED CERTIFICATE', derOf(TEST_CERT)), PrivateKey: TEST_KEY },
    'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [TRUSTED CERTIFICATE]',
  ],
  [
    'an EC key labelled RSA',
    { Certificate: TEST_CERT, PrivateKey: pem('RSA PRIVATE KEY', ecKey) },
    'x509: failed to parse private key (use ParseECPrivateKey instead for this key format)',
  ],
  [
    'an EC key for an RSA certificate',
    { Certificate: TEST_CERT, PrivateKey: pem('EC PRIVATE KEY', ecKey) },
    'tls: private key type does not match public key type',
  ],
];

const URI_CASES: [string, string][] = [
  ['https://idp.example.com/keys%zz', 'parse "https://idp.example.com/keys%zz": invalid URL escape "%zz"'],
  ['https://idp.example.com/keys%4', 'parse "https://idp.example.com/keys%4": invalid URL escape "%4"'],
  ['https://idp%41.example.com/keys', 'parse "https://idp%41.example.com/keys": invalid URL escape "%41"'],
  ['https://idp example.com/keys', 'parse "https://idp example.com/keys": invalid character " " in host name'],
  ['https://idp.example.com#x/keys', 'parse "https://idp.example.com#x/keys": invalid character "#" in host name'],
  ['https://ops team@idp.example.com/keys', 'parse "https://ops team@idp.example.com/keys": net/url: invalid userinfo'],
  ['https://[::1/keys', `parse "https://[::1/keys": missing ']' in host`],
  ['https://idp.example.com/k\u0001', 'parse "https://idp.example.com/k\\x01": net/url: invalid control character in URL'],
];

describe('validate', () => {
  it.each(CERT_CASES)('inline-certificate: %s', async (_name, entry, text) => {
    const run = await runCli(['validate'], tempTree({ 'config-entries/cert.json': JSON.stringify({ Kind: 'inline-certificate', Name: 'gw', ...entry }) }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`: ${text}\n`);
    expect(run.stderr).not.toContain('PRIVATE KEY-----');
  });

  it.each(URI_CASES.filter(([uri]) => !uri.includes('\u0001')))('jwt-provider URI %s', async (uri, text) => {
    const run = await runCli(
      ['validate'],
      tempTree({ 'config-entries/jwt.json': JSON.stringify({ Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: uri } } }) }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`JSONWebKeySet.Remote.URI: Remote JWKS URI is invalid: ${text}, uri: ${uri}\n`);
  });
});

describe('the dev server answers a PUT as Consul does', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });
  const put = async (body: object) => {
    const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  it.each(CERT_CASES)('inline-certificate: %s', async (_name, entry, text) => {
    expect(await put({ Kind: 'inline-certificate', Name: 'gw', ...entry })).toEqual({ status: 500, text });
  });

  it.each(URI_CASES)('jwt-provider URI %j', async (uri, text) => {
    expect(await put({ Kind: 'jwt-provider', Name: 'okta', JSONWebKeySet: { Remote: { URI: uri } } })).toEqual({
      status: 500,
      text: `Remote JWKS URI is invalid: ${text}, uri: ${uri}`,
    });
  });
});
