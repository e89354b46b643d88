// inline-certificate's Validate() as Consul runs it (agent/structs/config_entry_inline_certificate.go
// InlineCertificateConfigEntry.Validate, validateKeyLength, Hosts): PEM blocks, RSA key length,
// x509 parsing (node:crypto X509Certificate), key/certificate match, DNS-valid host names.
// The text of Go's x509 parse errors is approximated by its most common form.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { leaf, type GoError } from './go-error.ts';
import { isDomainName } from './service-defaults.ts';
import { metaError } from './shared.ts';

/** Envoy silently rejects shorter RSA keys (structs.MinKeyLength). */
const MIN_KEY_LENGTH = 2048;

/** encoding/pem Decode: the first well-formed block, or undefined. */
function pemDecode(text: string): { type: string; der: Buffer; pem: string } | undefined {
  const m = /-----BEGIN ([^\n-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2]!.replace(/^[A-Za-z-]+:.*\r?\n/gm, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { type: m[1]!, der: Buffer.from(body, 'base64'), pem: m[0] };
}

function parseKey(pem: string): KeyObject | undefined {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
}

export function inlineCertificateErrors(entry: ApiEntry): GoError[] {
  const meta = metaError(entry);
  if (meta) return [meta];
  const keyText = (entry.PrivateKey as string | undefined) ?? '';
  const certText = (entry.Certificate as string | undefined) ?? '';
  const keyBlock = pemDecode(keyText);
  if (!keyBlock) return [leaf('PrivateKey', 'failed to parse private key PEM')];
  const key = parseKey(keyBlock.pem);
  if (keyBlock.type === 'RSA PRIVATE KEY') {
    if (!key) return [leaf('PrivateKey', 'x509: failed to parse private key')];
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_KEY_LENGTH) return [leaf('PrivateKey', 'key length must be at least 2048 bits')];
  }
  const certBlock = pemDecode(certText);
  if (!certBlock) return [leaf('Certificate', 'failed to parse certificate PEM')];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certBlock.der);
  } catch {
    return [leaf('Certificate', 'failed to parse certificate: x509: malformed certificate')];
  }
  // tls.X509KeyPair: the key must parse and belong to the certificate.
  if (!key) return [leaf('PrivateKey', 'tls: failed to parse private key')];
  if (!cert.checkPrivateKey(key)) return [leaf('PrivateKey', 'tls: private key does not match public key')];
  // Hosts(): the subject CN (even when empty), then DNS and IP SANs.
  const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? '';
  const sans = (cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  for (const host of [cn, ...sans]) if (!isDomainName(host)) return [leaf('Certificate', `host ${JSON.stringify(host)} must be a valid DNS hostname`)];
  return [];
}
