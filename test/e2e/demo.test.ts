// `npm start` through main(['demo']): the loop against the embedded dev server, then the advisor over
// simulated sidecars on loopback (both verdicts) and the proposal for the ready service, without GitHub.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

describe('npm start', () => {
  it('ends with both verdicts and the one-line proposal for the ready service', async () => {
    let out = '';
    let err = '';
    const code = await main(['demo'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    expect(err).toBe('');
    expect(code).toBe(0);
    // The earlier steps stay green: apply, then a second plan with nothing to do.
    expect(out).toContain('Apply: 8 applied, 0 failed');
    expect(out).toContain('No changes. Consul matches the files.');
    expect(out).toContain('permissive service-defaults: api, billing');
    // The advisor tells the two permissive services apart.
    expect(out).toMatch(/^api\s+still-receiving-plaintext\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s/m);
    expect(out).toMatch(/^billing\s+ready-for-strict\s+-\s/m);
    expect(out).toContain('2 services judged: 1 still-receiving-plaintext, 1 ready-for-strict.');
    // The proposal: the one-line diff of the file as written, and the PR body with its evidence.
    expect(out).toContain(
      '--- a/config-entries/service-defaults/billing.json\n+++ b/config-entries/service-defaults/billing.json\n@@ -5 +5 @@\n-  "MutualTLSMode": "permissive",\n+  "MutualTLSMode": "strict",\n',
    );
    expect(out).toContain('branch: consul-gitops/strict/default/default/billing\ntitle:  mTLS: move billing to strict\n');
    expect(out).toContain('## Move `billing` to strict mTLS');
    expect(out).toContain('- `api (allow) → billing`');
    expect(out).not.toContain('move api to strict');
  });
});
