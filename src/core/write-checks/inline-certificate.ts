// inline-certificate's Validate() as Consul runs it (agent/structs/config_entry_inline_certificate.go
// InlineCertificateConfigEntry.Validate, validateKeyLength, Hosts): PEM blocks, RSA key length,
// x509.ParseCertificate, tls.X509KeyPair, DNS-valid host names, each failing with the text Go's
// encoding/pem, crypto/x509 and crypto/tls give it. Where node:crypto cannot say why Go would fail,
// the text is Go's for the common case, said at each place below.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { goQuote } from '../../model/go-quote.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { leaf, type GoError } from './go-error.ts';
import { isDomainName } from './service-defaults.ts';
import { metaError } from './shared.ts';

/** Envoy silently rejects shorter RSA keys (structs.MinKeyLength). */
const MIN_KEY_LENGTH = 2048;

interface PemBlock {
  type: string;
  der: Buffer;
}

/** encoding/pem Decode, repeated: every well-formed block, in order. */
function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2].replace(/^[A-Za-z-]+:.*\r?\n/gm, '').replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(body)) out.push({ type: m[1], der: Buffer.from(body, 'base64') });
  }
  return out;
}

/** A DER element's extent (cryptobyte ReadASN1Element: definite, minimally encoded lengths), or undefined. */
function derElement(der: Buffer, at: number, tag: number): { start: number; end: number } | undefined {
  if (der[at] !== tag || at + 1 >= der.length) return undefined;
  const first = der[at + 1];
  let len = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || at + 2 + n > der.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    if (len < 128 || (n > 1 && der[at + 2] === 0)) return undefined;
    header = 2 + n;
  }
  const end = at + header + len;
  return end <= der.length ? { start: at + header, end } : undefined;
}

const SEQUENCE = 0x30;

/** crypto/x509 ParseCertificate's error, or undefined (parser.go parseCertificate's first checks, then node:crypto). */
function parseCertificateError(der: Buffer): string | undefined {
  const outer = derElement(der, 0, SEQUENCE);
  if (!outer) return 'x509: malformed certificate';
  if (!derElement(der, outer.start, SEQUENCE)) return 'x509: malformed tbs certificate';
  if (outer.end !== der.length) return 'x509: trailing data';
  try {
    new X509Certificate(der);
    return undefined;
  } catch {
    // Go names the part it could not read (malformed validity, spki, extensions, ...); node:crypto does not.
    return 'x509: malformed certificate';
  }
}

function derKey(der: Buffer, type: 'pkcs1' | 'pkcs8' | 'sec1'): KeyObject | undefined {
  try {
    return createPrivateKey({ key: der, format: 'der', type });
  } catch {
    return undefined;
  }
}

/** validateKeyLength: x509.ParsePKCS1PrivateKey of an "RSA PRIVATE KEY" block, then the modulus length. */
function keyLengthError(block: PemBlock): string | undefined {
  if (block.type !== 'RSA PRIVATE KEY') return undefined;
  const key = derKey(block.der, 'pkcs1');
  if (!key) {
    if (derKey(block.der, 'sec1')) return 'x509: failed to parse private key (use ParseECPrivateKey instead for this key format)';
    if (derKey(block.der, 'pkcs8')) return 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)';
    // Go returns encoding/asn1's own error here ("asn1: structure error: ..."), which is not reproduced.
    return 'x509: failed to parse private key';
  }
  return (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_KEY_LENGTH ? `key length must be at least ${MIN_KEY_LENGTH} bits` : undefined;
}

/** crypto/tls parsePrivateKey: PKCS #1, then PKCS #8 (RSA, ECDSA, Ed25519 only), then SEC 1. */
function tlsPrivateKey(der: Buffer): KeyObject | string {
  const pkcs1 = derKey(der, 'pkcs1');
  if (pkcs1) return pkcs1;
  // x509.ParsePKCS8PrivateKey reads RSA, ECDSA, Ed25519 and X25519 keys; tls takes the first three.
  const pkcs8 = derKey(der, 'pkcs8');
  if (pkcs8?.asymmetricKeyType === 'x25519') return 'tls: found unknown private key type in PKCS#8 wrapping';
  if (pkcs8 && ['rsa', 'ec', 'ed25519'].includes(pkcs8.asymmetricKeyType ?? '')) return pkcs8;
  return derKey(der, 'sec1') ?? 'tls: failed to parse private key';
}

/** tls.X509KeyPair's error, or undefined. Go's %v of a []string is "[a b]". */
function x509KeyPairError(certText: string, keyText: string): string | undefined {
  const certBlocks = pemBlocks(certText);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) return 'tls: failed to find any PEM data in certificate input';
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY'))
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`;
  }
  const skipped: string[] = [];
  let keyBlock: PemBlock | undefined;
  for (const b of pemBlocks(keyText)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b;
      break;
    }
    skipped.push(b.type);
  }
  if (!keyBlock) {
    if (skipped.length === 0) return 'tls: failed to find any PEM data in key input';
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') return 'tls: found a certificate rather than a key in the PEM for the private key';
    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`;
  }
  const certError = parseCertificateError(certs[0].der);
  if (certError) return certError;
  const key = tlsPrivateKey(keyBlock.der);
  if (typeof key === 'string') return key;
  const publicType = new X509Certificate(certs[0].der).publicKey.asymmetricKeyType ?? '';
  if (!['rsa', 'ec', 'ed25519'].includes(publicType)) return 'tls: unknown public key algorithm';
  if (key.asymmetricKeyType !== publicType) return 'tls: private key type does not match public key type';
  return new X509Certificate(certs[0].der).checkPrivateKey(key) ? undefined : 'tls: private key does not match public key';
}

export function inlineCertificateErrors(entry: ApiEntry): GoError[] {
  const meta = metaError(entry);
  if (meta) return [meta];
  const keyText = (entry.PrivateKey as string | undefined) ?? '';
  const certText = (entry.Certificate as string | undefined) ?? '';
  const keyBlock = pemBlocks(keyText)[0];
  if (!keyBlock) return [leaf('PrivateKey', 'failed to parse private key PEM')];
  const keyLength = keyLengthError(keyBlock);
  if (keyLength) return [leaf('PrivateKey', keyLength)];
  const certBlock = pemBlocks(certText)[0];
  if (!certBlock) return [leaf('Certificate', 'failed to parse certificate PEM')];
  const certError = parseCertificateError(certBlock.der);
  if (certError) return [leaf('Certificate', `failed to parse certificate: ${certError}`)];
  const pairError = x509KeyPairError(certText, keyText);
  if (pairError) return [leaf(/certificate input|^x509:/.test(pairError) ? 'Certificate' : 'PrivateKey', pairError)];
  // Hosts(): the subject CN (even when empty), then DNS and IP SANs.
  const cert = new X509Certificate(certBlock.der);
  const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? '';
  const sans = (cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  for (const host of [cn, ...sans]) if (!isDomainName(host)) return [leaf('Certificate', `host ${goQuote(host)} must be a valid DNS hostname`)];
  return [];
}
