// The Connect CA: built-in (root key in Consul's state) or external. A warning at most, never a failure.
import type { PostureCheck } from './check.ts';
import { pass, unknownFor, warn } from './finding.ts';

export const externalCa: PostureCheck = {
  id: 'ca-external',
  title: 'Connect CA provider',
  checklistLine: "Production checklist, certificate authority: prefer an external CA (Vault, ACM PCA) so the root key is not kept in Consul's state",
  evaluate(f) {
    if (!f.caProvider.known) return unknownFor(f.caProvider);
    const p = f.caProvider.value;
    return p === 'consul'
      ? warn('provider "consul" (built-in): the CA root key lives in Consul\'s Raft state', 'consider connect { ca_provider = "vault" } (or aws-pca)')
      : pass(`external provider "${p}"`);
  },
};
