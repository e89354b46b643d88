// The same contract list against a real Consul (CE), so the dev server's fidelity is checked
// against the real thing. Opt-in: needs a Consul agent, which CI does not have.
//   CONSUL_HTTP_ADDR=http://127.0.0.1:8500 npx vitest run test/contract/real-consul.contract.test.ts
// Use a throwaway `consul agent -dev`: cases write and then delete the mesh and proxy-defaults
// singletons. With ACLs enabled (default deny), set CONSUL_HTTP_TOKEN to a management token; the
// ACL cases run only then. Cases clean up what they create.
import { describe, it } from 'vitest';
import { CONTRACT_CASES } from './config-api.contract.ts';
import { runContractCase } from './run-contract.ts';

const rawAddr = process.env.CONSUL_HTTP_ADDR ?? '';
const url = (/^https?:\/\//.test(rawAddr) ? rawAddr : `http://${rawAddr}`).replace(/\/$/, '');
const token = process.env.CONSUL_HTTP_TOKEN;

// Skipped unless CONSUL_HTTP_ADDR points at a real Consul: no Consul binary can be installed here.
describe.skipIf(!process.env.CONSUL_HTTP_ADDR)('config API contract: real Consul', () => {
  for (const c of CONTRACT_CASES) {
    // ACL cases need ACLs enabled and a management token to act as the all-powerful token.
    it.skipIf(c.needsAcl === true && !token)(c.name, async () => {
      await runContractCase(
        c.needsAcl ? { url, ...(token ? { aclToken: token } : {}) } : { url, ...(token ? { token, aclToken: token } : {}) },
        c,
      );
    }, 60_000);
  }
});
