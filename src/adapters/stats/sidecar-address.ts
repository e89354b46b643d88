// Decides whether the advisor may read a sidecar's stats address before anything is sent to it.
// The address comes from Consul's catalog, and anyone who may register a service names it: without
// this check a registration pointing at 169.254.169.254 (cloud metadata) or a public host made the
// advisor fetch it (server-side request forgery from inside the user's network).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where sidecars run when the user says nothing (advisor.stats.envoy.allowedNetworks unset): the
 * private IPv4 ranges (RFC 1918), carrier-grade NAT (RFC 6598, some CNIs' pod ranges) and IPv6
 * unique local addresses (RFC 4193). The CLI adds loopback (LOOPBACK_NETWORKS): a dev agent
 * registers its sidecars at 127.0.0.1 on the machine the advisor runs on.
 */
export const DEFAULT_SIDECAR_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];

/**
 * Loopback: in the CLI's default, never in serve's or Lambda's. There the advisor's own host is a
 * server holding credentials (serve's /metrics, a Lambda's runtime API), and any catalog writer
 * could point a registration at it; a user who runs sidecars there lists these explicitly.
 */
export const LOOPBACK_NETWORKS = ['127.0.0.0/8', '::1/128'];

/**
 * Instance metadata services that sit inside those defaults or next to them (AWS's IPv6 one is a
 * unique local address, Alibaba's is in 100.64.0.0/10): refused unless the user lists networks.
 */
const METADATA_NETWORKS = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '100.100.100.200/32'];

function blockList(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const n of networks) {
    const [address, prefix] = n.split('/');
    list.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

export type AddressCheck = { ok: true; url: URL } | { ok: false; problem: string };

export interface SidecarAddressPolicy {
  /** The URL to send to (a host name pinned to the address it was checked as), or why not. */
  check(url: URL): Promise<AddressCheck>;
}

/**
 * The policy for `allowedNetworks` (undefined: the defaults without the metadata addresses, with
 * loopback only when `loopbackByDefault`: the CLI's, not serve's or Lambda's).
 */
export function sidecarAddressPolicy(
  allowedNetworks: readonly string[] | undefined,
  resolve: (host: string) => Promise<string[]> = resolveAll,
  options: { loopbackByDefault?: boolean } = {},
): SidecarAddressPolicy {
  const defaults = options.loopbackByDefault === false ? DEFAULT_SIDECAR_NETWORKS : [...DEFAULT_SIDECAR_NETWORKS, ...LOOPBACK_NETWORKS];
  const allowed = blockList(allowedNetworks ?? defaults);
  const denied = blockList(allowedNetworks ? [] : METADATA_NETWORKS);
  const loopback = blockList(LOOPBACK_NETWORKS);
  const setting = allowedNetworks
    ? `advisor.stats.envoy.allowedNetworks (${allowedNetworks.join(', ')})`
    : `the networks sidecars are read in by default (${defaults.join(', ')}, never a metadata address); list others in advisor.stats.envoy.allowedNetworks`;
  const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
  const permitted = (address: string) => allowed.check(address, family(address)) && !denied.check(address, family(address));
  // Said first (the 140-character status and the PR cut the rest): why the advisor's own host is out, and the setting that lets it in.
  const outside = (what: string, addresses: readonly string[]) =>
    !allowedNetworks && addresses.some((a) => loopback.check(a, family(a)))
      ? `not sent: ${what} is loopback: list it in advisor.stats.envoy.allowedNetworks (${LOOPBACK_NETWORKS.join(', ')}) to read it; not a default under serve and Lambda, where it is the advisor's own host`
      : `not sent: ${what} is outside ${setting}`;
  return {
    async check(url) {
      // URL has already normalised the host (2852039166 and 0251.0376.0251.0376 are 169.254.169.254).
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) {
        return permitted(host) ? { ok: true, url } : { ok: false, problem: outside(host, [host]) };
      }
      let addresses: string[];
      try {
        addresses = await resolve(host);
      } catch (e) {
        return { ok: false, problem: `not sent: the host name does not resolve (${(e as { code?: string }).code ?? 'lookup failed'})` };
      }
      const refused = addresses.filter((a) => !permitted(a));
      if (addresses.length === 0) return { ok: false, problem: `not sent: the host name resolves to nothing, outside ${setting}` };
      if (refused.length > 0) return { ok: false, problem: outside(`the host name resolves to ${refused.join(', ')}, which`, refused) };
      // Sent to the address checked, never resolved a second time (a name that answers differently
      // the next time must not reach an address it was not checked as).
      const pinned = new URL(url.toString());
      pinned.hostname = isIP(addresses[0]) === 6 ? `[${addresses[0]}]` : addresses[0];
      return { ok: true, url: pinned };
    },
  };
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}
