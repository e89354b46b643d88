// Real GitHub webhook payloads from @octokit/webhooks-examples, and signed requests built from them.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as Definition[];

/** A deep copy of the first example of `event` that matches, so tests may edit it. */
export function example(event: string, matches: (payload: Record<string, any>) => boolean = () => true): Record<string, any> {
  const found = definitions.find((d) => d.name === event)?.examples.find(matches);
  if (!found) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

export const SECRET = "It's a Secret to Everybody";

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** A request as GitHub would send it: JSON body, HMAC-SHA256 signature, a fresh delivery id. */
export async function signed(event: string, payload: unknown, options: { secret?: string; deliveryId?: string } = {}): Promise<SignedRequest> {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.deliveryId ?? randomUUID(),
      'x-hub-signature-256': await sign(options.secret ?? SECRET, body),
      'user-agent': 'GitHub-Hookshot/test',
    },
  };
}

/** The real push to `refs/heads/master` (it changes README.md only). */
export function branchPush(): Record<string, any> {
  return example('push', (p) => p.ref === 'refs/heads/master');
}

/** The same push, changing a file under config-entries/ as well. */
export function configPush(): Record<string, any> {
  const push = branchPush();
  push.commits[0].modified.push('config-entries/service-defaults/web.hcl');
  return push;
}
