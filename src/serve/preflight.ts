// What a webhook request must show in its headers before any byte of its body is read: a body is
// only worth buffering (and hashing) when it claims to be a signed GitHub delivery of a sane size.
// The signature itself is checked later, over the whole body (routeWebhook); here only its form.
import type { IncomingHttpHeaders } from 'node:http';
import { decisionBody, MAX_BODY_BYTES, type DecisionBody } from '../app/webhook/route-event.ts';

/** GitHub's `X-Hub-Signature-256`: `sha256=` and a hex HMAC-SHA256 digest (64 digits). */
const SIGNATURE_FORM = /^sha256=[0-9a-f]{64}$/i;

export interface Refusal {
  status: 400 | 401 | 413;
  body: DecisionBody;
}

/**
 * A refusal when the headers alone disqualify the request, else undefined. The reasons match
 * routeWebhook's, so a client sees the same answer whether the refusal came before or after the body.
 */
export function refuseBeforeBody(headers: IncomingHttpHeaders): Refusal | undefined {
  const signature = headers['x-hub-signature-256'];
  if (typeof signature !== 'string' || !SIGNATURE_FORM.test(signature.trim())) {
    return { status: 401, body: decisionBody('rejected', 'signature missing or invalid') };
  }
  const event = headers['x-github-event'];
  if (typeof event !== 'string' || event.trim() === '') return { status: 400, body: decisionBody('rejected', 'X-GitHub-Event header missing') };
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > MAX_BODY_BYTES) return { status: 413, body: decisionBody('rejected', 'payload exceeds the 25 MB GitHub allows') };
  return undefined;
}

/** Content-Length when present and well formed (Node's parser has already refused a malformed one). */
export function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const raw = headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
