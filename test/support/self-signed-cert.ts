// A throwaway self-signed EC certificate made with openssl, for tests that need TLS on loopback.
import { execFileSync } from 'node:child_process';

/** Writes `key` and `cert` (PEM); `subject` is the CN, and an IP subject gets a matching subjectAltName. */
export function selfSignedCert(key: string, cert: string, subject = '127.0.0.1'): void {
  const altName = /^\d+\.\d+\.\d+\.\d+$/.test(subject) ? ['-addext', `subjectAltName=IP:${subject}`] : [];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${subject}`,
      ...altName,
    ],
    { stdio: 'ignore' },
  );
}
