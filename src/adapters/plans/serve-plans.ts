// `serve`'s plan archive and its `GET /plans/<id>` route: plans in memory (bounded, see
// plan-storage.ts; a restart forgets them, and their links then answer 404), links signed with a key
// derived from PLAN_LINK_SECRET or else the webhook secret, pointing at PUBLIC_URL or else the address
// serve listens on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlanArchive } from '../../app/ports/plan-archive.ts';
import { LinkedPlanArchive } from './linked-archive.ts';
import { answerPlanRequest } from './plan-page.ts';
import { planLinkKey, PlanLinks } from './plan-links.ts';
import { DEFAULT_MEMORY_PLAN_LIMITS, MemoryPlanStorage, type MemoryPlanLimits } from './plan-storage.ts';
import { ConsulGitopsError } from '../../errors.ts';

export { isPlanPath } from './plan-page.ts';

export interface ServePlans {
  archive: PlanArchive;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  storage: MemoryPlanStorage;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Throws (naming the variable, never a value) when PUBLIC_URL is not an http(s) URL or there is no
 * key: serve's settings already require GITHUB_WEBHOOK_SECRET.
 */
export function servePlans(env: Env, listening: () => string, options: { now?: () => Date; limits?: MemoryPlanLimits } = {}): ServePlans {
  const secret = env.PLAN_LINK_SECRET || env.GITHUB_WEBHOOK_SECRET;
  if (!secret) throw new ConsulGitopsError('config', 'PLAN_LINK_SECRET or GITHUB_WEBHOOK_SECRET must be set: plan links are signed with it');
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl))
    throw new ConsulGitopsError('config', 'PUBLIC_URL: expected the http(s) URL reviewers reach serve at, such as https://gitops.example.com');
  const links = new PlanLinks(planLinkKey(secret));
  const storage = new MemoryPlanStorage(options.limits ?? DEFAULT_MEMORY_PLAN_LIMITS);
  const now = options.now ?? (() => new Date());
  return {
    storage,
    archive: new LinkedPlanArchive({ storage, links, base: () => publicUrl || listening(), now }),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://serve.invalid');
      const a = await answerPlanRequest({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams }, { storage, links, now });
      res.writeHead(a.status, a.headers).end(a.body);
    },
  };
}
