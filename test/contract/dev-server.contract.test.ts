// The contract list against the embedded dev server: always runs. Each case gets a fresh server
// (127.0.0.1, free port), ACL cases one started with an ACL token.
import { afterAll, describe, it } from 'vitest';
import { kindDefinition } from '../../src/model/registry.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { CONTRACT_CASES } from './config-api.contract.ts';
import { runContractCase } from './run-contract.ts';

const ACL_TOKEN = 'contract-root-token';
const servers: DevServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('config API contract: dev server', () => {
  for (const c of CONTRACT_CASES) {
    // The dev server decodes PUT bodies with the shared kind registry; a case writing a kind the
    // registry does not define yet cannot pass (Consul would accept it) — it runs once registered.
    const missing = (c.kinds ?? []).filter((k) => !kindDefinition(k));
    it.skipIf(missing.length > 0)(`${c.name}${missing.length ? ` (needs registry kinds: ${missing.join(', ')})` : ''}`, async () => {
      const tokens = (c.aclTokens ?? []).map((t) => ({ secret: t.secret, accessorId: t.accessorId, rules: t.rules }));
      const server = await startDevServer(c.needsAcl ? { aclToken: ACL_TOKEN, acl: { defaultPolicy: 'deny', tokens } } : {});
      servers.push(server);
      try {
        await runContractCase({ url: server.url, ...(c.needsAcl ? { aclToken: ACL_TOKEN } : {}) }, c);
      } finally {
        await server.close();
      }
    });
  }
});
