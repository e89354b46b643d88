// The same contract list against a real Consul (CE), so the dev server's fidelity is checked
// against the real thing. Opt-in: needs a Consul agent, which CI does not have.
//   CONSUL_HTTP_ADDR=http://127.0.0.1:8500 npx vitest run test/contract/real-consul.contract.test.ts
// Use a throwaway `consul agent -dev`: cases write and then delete the mesh and proxy-defaults
// singletons. With ACLs enabled (default deny), set CONSUL_HTTP_TOKEN to a management token; the
// ACL cases run only then. Cases clean up what they create.
import { describe, it } from 'vitest';
import { CONTRACT_CASES, rulesHcl, type ContractCase } from './config-api.contract.ts';
import { runContractCase } from './run-contract.ts';

const rawAddr = process.env.CONSUL_HTTP_ADDR ?? '';
const url = (/^https?:\/\//.test(rawAddr) ? rawAddr : `http://${rawAddr}`).replace(/\/$/, '');
const token = process.env.CONSUL_HTTP_TOKEN;

// Skipped unless CONSUL_HTTP_ADDR points at a real Consul: no Consul binary can be installed here.
describe.skipIf(!process.env.CONSUL_HTTP_ADDR)('config API contract: real Consul', () => {
  for (const c of CONTRACT_CASES) {
    // ACL cases need ACLs enabled and a management token to act as the all-powerful token.
    it.skipIf(c.needsAcl === true && !token)(
      c.name,
      async () => {
        const created = await createTokens(c);
        try {
          await runContractCase(c.needsAcl ? { url, ...(token ? { aclToken: token } : {}) } : { url, ...(token ? { token, aclToken: token } : {}) }, c);
        } finally {
          await created.remove();
        }
      },
      60_000,
    );
  }
});

/** A case's scoped tokens, made through Consul's ACL API with the management token, and removed after. */
async function createTokens(c: ContractCase): Promise<{ remove(): Promise<void> }> {
  const made: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { 'X-Consul-Token': token! }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ ID?: string }>;
  };
  for (const t of c.aclTokens ?? []) {
    const policy = await call('PUT', '/v1/acl/policy', { Name: `cgc-${t.accessorId}`, Rules: rulesHcl(t.rules) });
    made.push(`/v1/acl/policy/${policy.ID}`);
    await call('PUT', '/v1/acl/token', { AccessorID: t.accessorId, SecretID: t.secret, Policies: [{ ID: policy.ID }], Description: 'consul-gitops contract' });
    made.unshift(`/v1/acl/token/${t.accessorId}`);
  }
  return {
    async remove() {
      for (const path of made) await call('DELETE', path).catch(() => undefined);
    },
  };
}
