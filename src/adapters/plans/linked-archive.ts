// The PlanArchive port over a storage and signed links: store under a fresh random id, answer a link
// valid for PLAN_LINK_DAYS. `base` is where the plans route is served (the plans function's URL, or
// `serve`'s public URL), read when a plan is stored, since `serve` learns its port only once listening.
// The text is masked with the process's known secrets as it is stored: the plans function that
// serves it later runs in another process, which never held them.
import { knownSecrets } from '../../known-secrets.ts';
import type { ArchivedPlan, PlanArchive } from '../../app/ports/plan-archive.ts';
import { newPlanId, PLAN_LINK_DAYS, type PlanLinks } from './plan-links.ts';
import type { PlanStorage } from './plan-storage.ts';

export interface LinkedPlanArchiveOptions {
  storage: PlanStorage;
  links: PlanLinks | (() => Promise<PlanLinks>);
  base: string | (() => string);
  now?: () => Date;
  /** How long a link works (default PLAN_LINK_DAYS). */
  ttlMs?: number;
}

export class LinkedPlanArchive implements PlanArchive {
  constructor(private readonly options: LinkedPlanArchiveOptions) {}

  async store(plan: ArchivedPlan): Promise<string> {
    const o = this.options;
    const links = typeof o.links === 'function' ? await o.links() : o.links;
    const id = newPlanId();
    await o.storage.put(id, knownSecrets.mask(plan.text));
    const now = (o.now ?? (() => new Date()))();
    const base = typeof o.base === 'function' ? o.base() : o.base;
    return links.link(base, id, new Date(now.getTime() + (o.ttlMs ?? PLAN_LINK_DAYS * 86_400_000)));
  }
}
