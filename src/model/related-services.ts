// The services a discovery-chain entry sends traffic to: Consul's ListRelatedServices
// (agent/structs/config_entry_discoverychain.go), which the state store's link index records so a
// change to one service re-checks the chains that reach it. Declared by router, splitter, resolver.
import type { ApiEntry } from './kind-definition.ts';

type Service = { Service?: unknown };

function names(values: readonly unknown[]): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

export function routerRelatedServices(e: ApiEntry): string[] {
  return names(((e.Routes as { Destination?: Service }[] | undefined) ?? []).map((r) => r.Destination?.Service));
}

export function splitterRelatedServices(e: ApiEntry): string[] {
  return names(((e.Splits as Service[] | undefined) ?? []).map((s) => s.Service));
}

export function resolverRelatedServices(e: ApiEntry): string[] {
  const out: unknown[] = [(e.Redirect as Service | undefined)?.Service];
  for (const f of Object.values((e.Failover as Record<string, Service & { Targets?: Service[] }> | undefined) ?? {})) {
    out.push(f.Service);
    for (const t of f.Targets ?? []) out.push(t.Service);
  }
  return names(out);
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
