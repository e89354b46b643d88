// Routes whose services give TLS.SDS without a ClusterName are judged against the api-gateways they
// name (gateway-tls-merge.ts routeServiceTLSProblems): each parent's gateway was found by a search of
// the whole tree, so thousands of such routes read the tree thousands of times (routes × entries).
// The tree's gateways are indexed once; the warnings are the same.
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../src/core/render.ts';
import { gatewayTLSWarnings } from '../../../src/core/gateway-tls-merge.ts';
import type { DecodedEntry } from '../../../src/decode/entry-source.ts';

const N = 2_000;
const route = (i: number) =>
  `Kind = "http-route"\nName = "shop-${i}"\nParents = [{ Kind = "api-gateway", Name = "edge-${i}" }]\nRules = [{ Services = [{ Name = "cart-${i}", TLS = { SDS = { CertResource = "cart-cert" } } }] }]\n`;
const gateway = (i: number) => `Kind = "api-gateway"\nName = "edge-${i}"\nListeners = [{ Name = "web", Port = 8443, Protocol = "http" }]\n`;

/** The tree's entries (gateways first: renderTree orders them by path), each counting how often its Kind is read. */
function countedTree(): { entries: DecodedEntry[]; reads: () => number } {
  const files = [
    ...Array.from({ length: N }, (_, i) => ({ path: `config-entries/routes/shop-${i}.hcl`, text: route(i) })),
    ...Array.from({ length: N }, (_, i) => ({ path: `config-entries/gateways/edge-${i}.hcl`, text: gateway(i) })),
  ];
  const tree = renderTree(files, { treeGraph: false });
  expect(tree.decodeErrors).toEqual([]);
  let reads = 0;
  const entries = tree.entries.map((d) => {
    const entry = { ...d.entry };
    const kind = entry.Kind;
    Object.defineProperty(entry, 'Kind', {
      enumerable: true,
      get: () => {
        reads++;
        return kind;
      },
    });
    return { ...d, entry };
  });
  return { entries, reads: () => reads };
}

describe('thousands of routes with SDS services and no ClusterName anywhere', () => {
  it('warns of each route service, finding each gateway without a search of the tree', () => {
    const { entries, reads } = countedTree();
    const warnings = gatewayTLSWarnings(entries);
    expect(warnings).toHaveLength(N);
    for (const w of warnings) {
      const i = /shop-(\d+)\.hcl$/.exec(w.file)?.[1];
      expect(w.message).toContain(`route "shop-${i}" service "cart-${i}" sets TLS.SDS without ClusterName`);
    }
    expect(new Set(warnings.map((w) => w.file)).size).toBe(N);
    // A few reads per entry; the search read one per gateway before the one named, per route: about N² / 2 = 2 million.
    expect(reads()).toBeLessThan(10 * entries.length);
  });
});
