// Runs one contract case (a sequence of HTTP requests with expectations) against a base URL.
// Shared by the dev-server run and the real-Consul run, so both are held to the same list.
import { expect } from 'vitest';
import type { ContractCase, ContractResponse, Vars } from './config-api.contract.ts';

export interface Target {
  url: string;
  /** Sent as X-Consul-Token on every request that does not set its own token (real Consul with ACLs). */
  token?: string;
  /** The token an ACL-enabled target accepts as all-powerful (for `needsAcl` cases). */
  aclToken?: string;
}

async function send(target: Target, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<ContractResponse> {
  const h: Record<string, string> = { ...headers };
  if (target.token && !('X-Consul-Token' in h) && !('Authorization' in h) && !path.includes('token=')) h['X-Consul-Token'] = target.token;
  const res = await fetch(target.url + path, { method, headers: h, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export async function runSteps(target: Target, c: ContractCase, steps: ContractCase['steps'], vars: Vars): Promise<void> {
  for (const [i, step] of steps.entries()) {
    const path = typeof step.path === 'function' ? step.path(vars) : step.path;
    const rawBody = typeof step.body === 'function' ? step.body(vars) : step.body;
    const body = rawBody === undefined ? undefined : typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody);
    const headers = typeof step.headers === 'function' ? step.headers(vars, target) : (step.headers ?? {});
    const started = Date.now();
    const pending = send(target, step.method, path, body, headers);
    if (step.during?.length) {
      await new Promise((r) => setTimeout(r, step.duringDelayMs ?? 100));
      await runSteps(target, c, step.during, vars);
    }
    const res = await pending;
    const elapsed = Date.now() - started;
    const where = `${c.name} step ${i + 1}: ${step.method} ${path}`;
    const e = step.expect;
    expect(res.status, `${where} status (body: ${res.text})`).toBe(e.status);
    if (typeof e.body === 'string') expect(res.text, `${where} body`).toBe(e.body);
    else if (e.body) e.body(res, vars, elapsed);
    for (const [name, want] of Object.entries(e.headers ?? {})) {
      const got = res.headers.get(name);
      if (want === null) expect(got, `${where} header ${name}`).toBeNull();
      else if (typeof want === 'string') expect(got, `${where} header ${name}`).toBe(want);
      else if (want instanceof RegExp) expect(got ?? '', `${where} header ${name}`).toMatch(want);
      else want(got, vars);
    }
    if (step.capture) Object.assign(vars, step.capture(res, vars));
  }
}

/** Runs a case, then its cleanup (errors in cleanup are reported after the case's own). */
export async function runContractCase(target: Target, c: ContractCase): Promise<void> {
  const vars: Vars = {};
  try {
    await runSteps(target, c, c.steps, vars);
  } finally {
    for (const path of [...(c.cleanup ?? [])].reverse()) {
      const res = await send(target, 'DELETE', path, undefined, target.aclToken ? { 'X-Consul-Token': target.aclToken } : {});
      await Promise.resolve(res);
    }
  }
}
