// validateTLSConfig (agent/structs/config_entry_mesh.go) with types/tls.go's version and cipher
// tables: the TLS checks mesh, ingress-gateway and api-gateway share.

const TLS_VERSIONS = ['TLS_AUTO', 'TLSv1_0', 'TLSv1_1', 'TLSv1_2', 'TLSv1_3'];
/** tlsVersionComparison: only concrete versions compare. */
const VERSION_ORDER: Record<string, number> = { TLSv1_0: 1, TLSv1_1: 2, TLSv1_2: 3, TLSv1_3: 4 };
/** TLSVersionsWithConfigurableCipherSuites. */
const CIPHER_CONFIGURABLE = new Set(['', 'TLS_AUTO', 'TLSv1_0', 'TLSv1_1', 'TLSv1_2']);
/** envoyTLSCipherSuiteStrings' keys. */
const ENVOY_CIPHER_SUITES = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
]);

/** types.ValidateTLSVersion. */
function versionError(v: string): string | undefined {
  if (TLS_VERSIONS.includes(v)) return undefined;
  return `no matching TLS version found for ${v}, please specify one of [${[...TLS_VERSIONS].sort().join(', ')}]`;
}

/** The first problem of one TLS setting, as validateTLSConfig returns it, with the field it is about. */
export function tlsConfigError(min: string, max: string, ciphers: readonly string[]): { field: 'min' | 'max' | 'ciphers'; message: string } | undefined {
  if (min !== '') {
    const e = versionError(min);
    if (e) return { field: 'min', message: e };
  }
  if (max !== '') {
    const e = versionError(max);
    if (e) return { field: 'max', message: e };
    if (min !== '' && VERSION_ORDER[max] !== undefined && VERSION_ORDER[min] !== undefined && VERSION_ORDER[max] < VERSION_ORDER[min])
      return { field: 'max', message: `configuring max version ${max} less than the configured min version ${min} is invalid` };
  }
  if (ciphers.length > 0) {
    if (!CIPHER_CONFIGURABLE.has(min))
      return {
        field: 'ciphers',
        message: `configuring CipherSuites is only applicable to connections negotiated with TLS 1.2 or earlier, TLSMinVersion is set to ${min}`,
      };
    const unmatched = ciphers.filter((c) => !ENVOY_CIPHER_SUITES.has(c));
    if (unmatched.length > 0) return { field: 'ciphers', message: `no matching Envoy TLS cipher suite found for ${unmatched.join(',')}` };
  }
  return undefined;
}
