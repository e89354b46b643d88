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
