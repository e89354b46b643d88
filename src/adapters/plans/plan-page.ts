// The answer to `GET /plans/<id>?expires=..&sig=..`, shared by the plans Lambda function and `serve`:
// the link is checked before storage is touched (no lookups for links we did not issue), every
// refusal says the same few words (which part was wrong is not told), and the plan goes out as
// text/plain with nosniff and a sandboxing CSP, so no byte of it is ever run as HTML or script.
import { PLAN_ID, type PlanLinks } from './plan-links.ts';
import type { PlanStorage } from './plan-storage.ts';

export interface PlanRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface PlanAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PlanPageDeps {
  storage: PlanStorage;
  links: PlanLinks;
  now: () => Date;
}

const SAFE_HEADERS = {
  'content-type': 'text/plain; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  // The link is the permission: never cached by a shared proxy, never sent on as a Referer.
  'cache-control': 'private, no-store',
  'referrer-policy': 'no-referrer',
};

const answer = (status: number, body: string, extra: Record<string, string> = {}): PlanAnswer => ({ status, headers: { ...SAFE_HEADERS, ...extra }, body });

/** Whether `path` is the plans route (`/plans/…`), so a server can hand it over. */
export const isPlanPath = (path: string) => path.startsWith('/plans/');

export async function answerPlanRequest(req: PlanRequest, deps: PlanPageDeps): Promise<PlanAnswer> {
  const id = req.path.slice('/plans/'.length);
  if (!isPlanPath(req.path) || !PLAN_ID.test(id)) return answer(404, 'not found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed\n', { allow: 'GET, HEAD' });
  if (!deps.links.verify(id, req.query.get('expires') ?? undefined, req.query.get('sig') ?? undefined, deps.now()))
    return answer(403, 'This plan link is not valid or has expired. The pull request comment links the newest plan.\n');
  const text = await deps.storage.get(id);
  if (text === undefined) return answer(404, 'This plan is no longer kept. Push to the pull request again for a new plan.\n');
  return answer(200, req.method === 'HEAD' ? '' : text);
}
