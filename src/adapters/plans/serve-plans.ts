// `serve`'s plan archive and its `GET /plans/<id>` route: plans in memory (bounded, see
// plan-storage.ts; a restart forgets them, and their links then answer 404), links signed with a key
// derived from the plan-link secret or else the webhook secret, pointing at PUBLIC_URL or else the address
// serve listens on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlanArchive } from '../../app/ports/plan-archive.ts';
import { LinkedPlanArchive } from './linked-archive.ts';
import { answerPlanRequest } from './plan-page.ts';
import { planLinkKey, PlanLinks } from './plan-links.ts';
import { DEFAULT_MEMORY_PLAN_LIMITS, MemoryPlanStorage, type MemoryPlanLimits } from './plan-storage.ts';
import { envSecretSource, secretSourceFor, type SecretSource } from '../secrets/secret-source.ts';
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
 * key. The key's secret is found as the reconcile function finds it (PLAN_LINK_SECRET_ARN,
 * PLAN_LINK_SECRET_PARAMETER or PLAN_LINK_SECRET), else it is `fallbackSecret` (serve: the webhook
 * secret, wherever that is kept). It is read at the first plan link, and kept until serve stops, so
 * links it issued keep working through a rotation.
 */
export function servePlans(
  env: Env,
  listening: () => string,
  options: { now?: () => Date; limits?: MemoryPlanLimits; fallbackSecret?: SecretSource } = {},
): ServePlans {
  const own = env.PLAN_LINK_SECRET_ARN || env.PLAN_LINK_SECRET_PARAMETER || env.PLAN_LINK_SECRET;
  const secret = own
    ? secretSourceFor({ secretId: env.PLAN_LINK_SECRET_ARN, parameterName: env.PLAN_LINK_SECRET_PARAMETER, envVariable: 'PLAN_LINK_SECRET' }, env)
    : (options.fallbackSecret ?? (env.GITHUB_WEBHOOK_SECRET ? envSecretSource(env, 'GITHUB_WEBHOOK_SECRET') : undefined));
  if (!secret) throw new ConsulGitopsError('config', 'PLAN_LINK_SECRET or GITHUB_WEBHOOK_SECRET must be set: plan links are signed with it');
  let pending: Promise<PlanLinks> | undefined;
  const links = (): Promise<PlanLinks> =>
    (pending ??= secret
      .value()
      .then((s) => new PlanLinks(planLinkKey(s)))
      .catch((e: unknown) => {
        pending = undefined; // a store that failed once is asked again at the next plan
        throw e;
      }));
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl))
    throw new ConsulGitopsError('config', 'PUBLIC_URL: expected the http(s) URL reviewers reach serve at, such as https://gitops.example.com');
  const storage = new MemoryPlanStorage(options.limits ?? DEFAULT_MEMORY_PLAN_LIMITS);
  const now = options.now ?? (() => new Date());
  return {
    storage,
    archive: new LinkedPlanArchive({ storage, links, base: () => publicUrl || listening(), now }),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://serve.invalid');
      const a = await answerPlanRequest({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams }, { storage, links: await links(), now });
      res.writeHead(a.status, a.headers).end(a.body);
    },
  };
}
