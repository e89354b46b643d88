// The services a discovery-chain entry sends traffic to: Consul's ListRelatedServices
// (agent/structs/config_entry_discoverychain.go), which the state store's link index records so a
// change to one service re-checks the chains that reach it. Declared by router, splitter, resolver.
import type { ApiEntry } from './kind-definition.ts';

type Service = { Service?: unknown };

/** Adds `s` when it names a service (a non-empty string). */
function addName(out: string[], s: unknown): void {
  if (typeof s === 'string' && s !== '') out.push(s);
}

// Loops rather than map and filter with closures: the dev server's link index asks on every write
// of a router, splitter or resolver (and twice when it replaces one).
export function routerRelatedServices(e: ApiEntry): string[] {
  const out: string[] = [];
  const routes = (e.Routes as ({ Destination?: Service } | undefined)[] | undefined) ?? [];
  for (let i = 0; i < routes.length; i++) addName(out, routes[i]?.Destination?.Service);
  return out;
}

export function splitterRelatedServices(e: ApiEntry): string[] {
  const out: string[] = [];
  const splits = (e.Splits as (Service | undefined)[] | undefined) ?? [];
  for (let i = 0; i < splits.length; i++) addName(out, splits[i]?.Service);
  return out;
}

export function resolverRelatedServices(e: ApiEntry): string[] {
  const out: string[] = [];
  addName(out, (e.Redirect as Service | undefined)?.Service);
  for (const f of Object.values((e.Failover as Record<string, Service & { Targets?: Service[] }> | undefined) ?? {})) {
    addName(out, f.Service);
    for (const t of f.Targets ?? []) addName(out, t.Service);
  }
  return out;
}

const NONE: readonly string[] = [];

/**
 * The services lower-cased, each once, as the link index records them. Most chain entries name one
 * to three: a short list is checked in place, not put in a Set made for each write; a long one
 * (a router with hundreds of routes) still goes through a Set.
 */
export function lowerOnce(services: readonly string[]): readonly string[] {
  if (services.length === 0) return NONE;
  if (services.length > 16) return [...new Set(services.map((s) => s.toLowerCase()))];
  const out: string[] = [];
  for (const s of services) {
    const lower = s.toLowerCase();
    if (!out.includes(lower)) out.push(lower);
  }
  return out;
}
