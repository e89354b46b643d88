// Intention checks: a default deny, and every service named by at least one intention.
import type { PostureCheck } from './check.ts';
import { known, type Known, type PostureFacts } from './facts.ts';
import { fail, pass, unknownFor } from './finding.ts';

/**
 * A source of this cluster's own services: one with a `Peer` or `SamenessGroup` names another
 * cluster's services (agent/structs/config_entry_intentions.go, SourceIntention), so a deny or a
 * name there says nothing about the services here.
 */
const local = (s: { peer?: string; samenessGroup?: string }) => !s.peer && !s.samenessGroup;

/** Is there a `*` → `*` deny intention (a service-intentions entry named `*` with a local `*` source denied)? */
export function defaultDenyIntention(f: PostureFacts): Known<boolean> {
  if (!f.intentions.known) return f.intentions;
  return known(f.intentions.value.entries.some((e) => e.destination === '*' && e.sources.some((s) => s.name === '*' && s.action === 'deny' && local(s))));
}

export const intentionsDefaultDeny: PostureCheck = {
  id: 'intentions-default-deny',
  title: 'intentions deny by default',
  checklistLine: 'Production checklist, intentions: a default deny, either ACL default_policy "deny" or a "*" → "*" deny intention',
  evaluate(f) {
    // With ACLs on and default deny, Consul's intention default is deny too (agent/consul/intention_endpoint.go, DefaultIntentionPolicy).
    if (f.acl.enabled && f.acl.defaultPolicy === 'deny') return pass('ACL default policy deny: traffic without an allow intention is denied');
    const deny = defaultDenyIntention(f);
    if (!deny.known) return unknownFor(deny);
    return deny.value
      ? pass('a "*" → "*" deny intention exists')
      : fail(
          `${f.acl.enabled ? 'ACL default policy allow' : 'ACLs disabled'} and no "*" → "*" deny intention: every service may reach every other`,
          'add Kind = "service-intentions", Name = "*", Sources = [{ Name = "*", Action = "deny" }]',
        );
  },
};

export const intentionsCoverServices: PostureCheck = {
  id: 'intentions-cover-services',
  title: 'every service named by an intention',
  checklistLine: 'Onboarding guide: every service needs intentions naming it, or nothing may reach it (default deny) or everything may (default allow)',
  evaluate(f) {
    if (!f.services.known) return unknownFor(f.services);
    if (!f.intentions.known) return unknownFor(f.intentions);
    const named = new Set<string>();
    for (const e of f.intentions.value.entries) {
      if (e.destination !== '*') named.add(e.destination);
      for (const s of e.sources) if (s.name !== '*' && local(s)) named.add(s.name);
    }
    const missing = f.services.value.filter((s) => !named.has(s));
    // Services and intentions of the other namespaces were not read: a pass would vouch for them.
    if (missing.length === 0 && f.namespaceGap)
      return {
        status: 'unknown',
        evidence: `${f.services.value.length} services, each named by an intention; but ${f.namespaceGap}`,
        fix: 'check each namespace with `consul intention list -namespace NS` against `consul catalog services -namespace NS`',
      };
    return missing.length === 0
      ? pass(`${f.services.value.length} services, each named by an intention`)
      : fail(`no intention names ${missing.join(', ')}`, 'add a service-intentions entry for each (as destination, or as a source of another)');
  },
};
