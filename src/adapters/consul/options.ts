// Client options: validated once with zod, and read from the Consul CLI's environment variables
// (same names and precedence as the Go api client's `DefaultConfig`/`NewClient`).
import { X509Certificate } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { DEFAULT_RETRY_POLICY } from './retry.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { readRegularText, whyUnreadable } from '../files/regular-file.ts';

const nonEmpty = () => z.string().check(z.minLength(1));

export const ConsulTlsOptionsSchema = z.strictObject({
  /** PEM file with the CA bundle (CONSUL_CACERT). */
  caFile: z.optional(nonEmpty()),
  /** Who named `caFile` (`CONSUL_CACERT`, a target's consul.caCert), said when it cannot be read or does not trust Consul. */
  caFileFrom: z.optional(nonEmpty()),
  /** Directory of PEM CA files (CONSUL_CAPATH). */
  caPath: z.optional(nonEmpty()),
  /** Client certificate and key for mTLS to the agent (CONSUL_CLIENT_CERT / CONSUL_CLIENT_KEY). */
  certFile: z.optional(nonEmpty()),
  keyFile: z.optional(nonEmpty()),
  /** SNI and certificate name to verify (CONSUL_TLS_SERVER_NAME). */
  serverName: z.optional(nonEmpty()),
  /** CONSUL_HTTP_SSL_VERIFY=false. */
  insecureSkipVerify: z._default(z.boolean(), false),
});

export const ConsulClientOptionsSchema = z.strictObject({
  /** `host:port`, `http://host:port` or `https://host:port` (https implies TLS). */
  address: z._default(nonEmpty(), '127.0.0.1:8500'),
  /** Use https for a scheme-less address (CONSUL_HTTP_SSL=true). */
  https: z._default(z.boolean(), false),
  token: z.optional(nonEmpty()),
  /** Read once, on first use; a non-empty file wins over `token` (as in the Go api client). */
  tokenFile: z.optional(nonEmpty()),
  /** Who named `tokenFile` (`CONSUL_HTTP_TOKEN_FILE`, a target's tokenFile in consul-gitops.yaml), said when it cannot be read. */
  tokenFileFrom: z.optional(nonEmpty()),
  datacenter: z.optional(nonEmpty()),
  /** Enterprise only: sent as `?ns=` / `?partition=` when set. */
  namespace: z.optional(nonEmpty()),
  partition: z.optional(nonEmpty()),
  /** Enterprise: the namespaces config entries are listed from (`all` → `?ns=*`); absent: `namespace` only. */
  managedNamespaces: z.optional(z.union([z.literal('all'), z.array(nonEmpty())])),
  tls: z.optional(ConsulTlsOptionsSchema),
  /** Per-request timeout; blocking queries get `wait + wait/16` on top. */
  timeoutMs: z._default(z.int().check(z.positive()), 10_000),
  retry: z._default(
    z.strictObject({
      maxAttempts: z.int().check(z.minimum(1), z.maximum(20)),
      baseDelayMs: z.number().check(z.nonnegative()),
      maxDelayMs: z.number().check(z.nonnegative()),
    }),
    DEFAULT_RETRY_POLICY,
  ),
});

export type ConsulClientOptionsInput = z.input<typeof ConsulClientOptionsSchema>;
export type ConsulClientOptions = z.output<typeof ConsulClientOptionsSchema>;
export type ConsulTlsOptions = z.output<typeof ConsulTlsOptionsSchema>;

export class ConsulOptionsError extends ConsulGitopsError {
  constructor(message: string, options?: ErrorOptions) {
    super('config', message, options);
    this.name = 'ConsulOptionsError';
  }
}

export function parseConsulClientOptions(input: ConsulClientOptionsInput): ConsulClientOptions {
  const result = ConsulClientOptionsSchema.safeParse(input);
  if (result.success) return result.data;
  // zod echoes the input only for some issue kinds; build the text from paths and codes alone so a
  // misplaced token can never end up in the message.
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`);
  throw new ConsulOptionsError(`invalid Consul client options: ${issues.join('; ')}`);
}

/** Go's strconv.ParseBool, as the Consul CLI uses for its boolean variables. */
function parseEnvBool(name: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new ConsulOptionsError(`${name} must be a boolean (true/false), got ${JSON.stringify(value)}`);
}

/**
 * Options from the Consul CLI environment (`CONSUL_HTTP_ADDR`, `CONSUL_HTTP_TOKEN`, …). Pass the
 * environment in; this module never reads `process.env` itself. `CONSUL_DATACENTER` is not a
 * Consul CLI variable (the CLI has only `-datacenter`); it is accepted here for convenience.
 *
 * @example optionsFromEnv({ CONSUL_HTTP_ADDR: 'https://consul:8501', CONSUL_CACERT: '/ca.pem' })
 */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): ConsulClientOptionsInput {
  const get = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const out: ConsulClientOptionsInput = {};
  const addr = get('CONSUL_HTTP_ADDR');
  if (addr) out.address = addr;
  const ssl = get('CONSUL_HTTP_SSL');
  if (ssl) out.https = parseEnvBool('CONSUL_HTTP_SSL', ssl);
  const token = get('CONSUL_HTTP_TOKEN');
  if (token) out.token = token;
  const tokenFile = get('CONSUL_HTTP_TOKEN_FILE');
  if (tokenFile) {
    out.tokenFile = tokenFile;
    out.tokenFileFrom = 'CONSUL_HTTP_TOKEN_FILE';
  }
  const dc = get('CONSUL_DATACENTER');
  if (dc) out.datacenter = dc;
  const ns = get('CONSUL_NAMESPACE');
  if (ns) out.namespace = ns;
  const partition = get('CONSUL_PARTITION');
  if (partition) out.partition = partition;
  const tls: NonNullable<ConsulClientOptionsInput['tls']> = {};
  const tlsVars = {
    caFile: 'CONSUL_CACERT',
    caPath: 'CONSUL_CAPATH',
    certFile: 'CONSUL_CLIENT_CERT',
    keyFile: 'CONSUL_CLIENT_KEY',
    serverName: 'CONSUL_TLS_SERVER_NAME',
  } as const;
  for (const [key, name] of Object.entries(tlsVars) as [keyof typeof tlsVars, string][]) {
    const v = get(name);
    if (v) tls[key] = v;
  }
  const verify = get('CONSUL_HTTP_SSL_VERIFY');
  if (verify) tls.insecureSkipVerify = !parseEnvBool('CONSUL_HTTP_SSL_VERIFY', verify);
  if (Object.keys(tls).length > 0) out.tls = tls;
  return out;
}

/**
 * The base URL: `http://` unless the address says `https://` or `https` is set; `unix://` is not
 * supported. A path prefix (proxy in front of Consul) is kept.
 */
export function baseUrlOf(options: Pick<ConsulClientOptions, 'address' | 'https'>): URL {
  const raw = options.address.trim();
  if (raw.startsWith('unix://')) throw new ConsulOptionsError('unix:// Consul addresses are not supported');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${options.https ? 'https' : 'http'}://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConsulOptionsError(`invalid Consul address ${JSON.stringify(withoutCredentials(raw))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConsulOptionsError(`unsupported scheme in Consul address ${JSON.stringify(withoutCredentials(raw))}`);
  return url;
}

/**
 * An address as an error may quote it: `user:password@` (everything up to the last `@`, since a
 * malformed address has no reliable end of its authority) shown as `…@`, so a password written
 * into CONSUL_HTTP_ADDR or `--consul` never reaches the terminal or a log.
 */
export function withoutCredentials(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1…@');
}

/** What undici's `Agent({ connect })` takes for TLS (a subset of `tls.connect` options). */
export interface TlsConnectOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized: boolean;
}

export type ReadTextFile = (path: string) => string;
export type ListDir = (path: string) => string[];

// A PEM file (a CA bundle can be a few MiB) read only as a regular file: a FIFO would hang the start.
const readText: ReadTextFile = (p) => readRegularText(p, 8 * 1024 * 1024);
const listPemFiles: ListDir = (dir) =>
  readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());

/** Maps TLS options to undici connect options, reading the PEM files (once, at client start). */
export function tlsConnectOptions(tls: ConsulTlsOptions | undefined, readFile?: ReadTextFile, list: ListDir = listPemFiles): TlsConnectOptions {
  const out: TlsConnectOptions = { rejectUnauthorized: !(tls?.insecureSkipVerify ?? false) };
  if (!tls) return out;
  const read = readFile ?? readText;
  // A CA file read from disk must hold a certificate (a reader given by the caller is its own judge).
  const readCaText = readFile ?? ((p: string) => withCertificates(p, readText(p)));
  const ca: string[] = [];
  if (tls.caFile) ca.push(readCa(readCaText, tls.caFile, tls.caFileFrom ?? 'CONSUL_CACERT'));
  if (tls.caPath) for (const f of list(tls.caPath)) ca.push(readCa(readCaText, f, `CONSUL_CAPATH (${tls.caPath})`));
  if (ca.length > 0) out.ca = ca;
  if (tls.certFile) out.cert = readPem(read, tls.certFile, 'client certificate');
  if (tls.keyFile) out.key = readPem(read, tls.keyFile, 'client key');
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) throw new ConsulOptionsError('client certificate and client key must be given together');
  if (tls.serverName) out.servername = tls.serverName;
  return out;
}

/**
 * What Consul's certificate is checked against, for an error when it is not trusted: node's own
 * "self-signed certificate in certificate chain" names neither the variable nor the file.
 */
export function trustSource(tls: ConsulTlsOptions | undefined): string {
  if (tls?.caFile) return `the CA file ${tls.caFile} (${tls.caFileFrom ?? 'CONSUL_CACERT'})`;
  if (tls?.caPath) return `the CA files in ${tls.caPath} (CONSUL_CAPATH)`;
  return "the system's CAs (no CONSUL_CACERT is set)";
}

/** Thrown by withCertificates: what the file holds instead of a certificate (said with the file's origin by readCa). */
class NoCertificate extends ConsulOptionsError {}

/**
 * The text of a CA file when every PEM block in it that is a certificate parses, and there is one.
 * A key, a CSR or a file of anything else is silently ignored by node's TLS, and would only fail at
 * the first connection, as an untrusted certificate.
 */
function withCertificates(path: string, text: string): string {
  const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[^]*?-----END \1-----/g) ?? [];
  const certificates = blocks.filter((b) => b.startsWith('-----BEGIN CERTIFICATE-----'));
  if (certificates.length === 0)
    throw new NoCertificate(
      `holds no PEM certificate (${blocks.length ? `only ${blocks.map((b) => b.slice(11, b.indexOf('-----', 11))).join(', ')}` : 'no "-----BEGIN CERTIFICATE-----" block'})`,
    );
  for (const [i, pem] of certificates.entries()) {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new NoCertificate(`certificate ${i + 1} cannot be parsed (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return text;
}

/** A CA file, or an error naming the file and who named it (CONSUL_CACERT, a target's consul.caCert). */
function readCa(read: ReadTextFile, path: string, from: string): string {
  try {
    return read(path);
  } catch (e) {
    if (e instanceof NoCertificate) throw new ConsulOptionsError(`the CA file ${path} named by ${from} ${e.message}`);
    throw new ConsulOptionsError(`cannot read CA file ${path}: ${whyUnreadable(e)} (named by ${from})`);
  }
}

function readPem(read: ReadTextFile, path: string, what: string): string {
  try {
    return read(path);
  } catch (e) {
    throw new ConsulOptionsError(`cannot read ${what} ${path}: ${whyUnreadable(e)}`);
  }
}
