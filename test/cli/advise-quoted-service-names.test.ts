// A service name holding `"` (or `"` and a backtick, and a `\`) through `advise` main() against the dev
// server, whose filter parser is go-bexpr's grammar: a double-quoted bexpr string cannot hold a `"` at
// all (DoubleStringChar <- !'"' .), so the catalog read that confirms each sidecar's destination was
// refused ("Failed to create boolean expression evaluator … invalid syntax") and the whole advise run
// failed, for every service: anyone allowed to register one sidecar so named stopped the advisor and
// its posture issue. Such a name is now written as a raw string, or read on its own when it holds both quotes.
import { describe, expect, it } from 'vitest';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const dev = devServerPerTest();
const NAMES = ['orders"\\v2', 'pay"`x'];
// proxy-defaults permissive: every service with a sidecar is judged, the oddly named ones with it.
const TREE = {
  'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\n',
};

describe('advise with sidecars of services whose names hold quotes', () => {
  it('judges every service with a sidecar, those too; nothing refused', async () => {
    for (const [i, name] of [...NAMES, 'billing'].entries())
      await registerSidecar(dev.url, name, {}, { id: `p${i}`, node: `n${i}`, address: `10.0.0.${i + 2}` });
    const run = await runAdvise(dev.url, ['--json'], { cwd: tempTree(TREE), traces: { billing: [] } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const judged = (JSON.parse(run.stdout) as { services: { service: string }[] }).services.map((s) => s.service).sort();
    expect(judged).toEqual(['billing', ...NAMES].sort());
  });
});
