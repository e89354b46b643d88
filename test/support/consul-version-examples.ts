// The examples the Consul-version tests share: a repository for target "prod" with or without a
// consulVersion, a terminating-gateway using a field older Consuls lack, and the http-route whose
// Weight 0 depends on the version (agent/structs/config_entry_routes.go HTTPRouteConfigEntry.Normalize),
// with both of its backends live at 50.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempTree } from './run-cli.ts';

/** consul-gitops.yaml with the one target "prod" reading config-entries/, at `version` when given. */
export function targetsYaml(version?: string, lines: string[] = []): string {
  return ['targets:', '  - name: prod', '    dir: config-entries', ...(version ? [`    consulVersion: "${version}"`] : []), ...lines, ''].join('\n');
}

/** A repository holding `files` and target "prod" (targetsYaml), with its consulVersion and a token file when given. */
export function targetRepo(files: Record<string, string>, opts: { version?: string; token?: string } = {}): string {
  const dir = tempTree(files);
  if (opts.token) writeFileSync(join(dir, 'token'), `${opts.token}\n`);
  writeFileSync(join(dir, 'consul-gitops.yaml'), targetsYaml(opts.version, opts.token ? ['    consul:', `      tokenFile: ${join(dir, 'token')}`] : []));
  return dir;
}

/** The version example: DisableAutoHostRewrite on the second service (line 5, column 22). */
// MaxRequestHeadersKB came with Consul 1.22.0 (hashicorp/consul#22680; docs/consul-versions.md).
export const WEB = `Kind = "service-defaults"
Name = "web"
Protocol = "http"
MaxRequestHeadersKB = 96
`;

/** A Consul 2.0 field (hashicorp/consul#23563, backported to release/2.0.x only): a 1.22 target does not know it (line 7). */
export const WEB_2_0 = `Kind = "service-defaults"
Name = "web"
Protocol = "http"
UpstreamConfig {
  Defaults {
    PassiveHealthCheck {
      Consecutive5xx = 3
    }
  }
}
`;

// DisableAutoHostRewrite is older than every supported version (consul-k8s v1.5.0 maps it on consul/api v1.29.1).
export const TGW = `Kind = "terminating-gateway"
Name = "tgw"
Services = [
  { Name = "billing" },
  { Name = "legacy", DisableAutoHostRewrite = true },
]
`;

/** The file drains backend v2 (Weight 0). */
export const ROUTE = `Kind = "http-route"
Name = "shop"
Parents = [{ Kind = "api-gateway", Name = "gw" }]
Rules = [{ Services = [{ Name = "v1", Weight = 50 }, { Name = "v2", Weight = 0 }] }]
`;

/** Both backends at 50 in Consul, written by consul-gitops from the earlier version of the file. */
export function liveFiftyFifty(server: { url: string }, headers: Record<string, string> = {}): Promise<void> {
  return liveRoute(server, 50, headers);
}

/** The route in Consul with v1 at 50 and v2 at `secondWeight` (the server stores it as its version normalises it), written by consul-gitops earlier. */
export async function liveRoute(server: { url: string }, secondWeight: number, headers: Record<string, string> = {}): Promise<void> {
  const body = {
    Kind: 'http-route',
    Name: 'shop',
    Parents: [{ Kind: 'api-gateway', Name: 'gw' }],
    Rules: [
      {
        Services: [
          { Name: 'v1', Weight: 50 },
          { Name: 'v2', Weight: secondWeight },
        ],
      },
    ],
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/shop.hcl' },
  };
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', headers, body: JSON.stringify(body) });
  expect(await res.text()).toBe('true');
}
