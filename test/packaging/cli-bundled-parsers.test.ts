// The built CLI (scripts/build.mjs) carries zod and yaml inside it (BUNDLED_PACKAGES): `validate`
// and `render` load no package from node_modules at all, which spared each start about 0.15 s of
// CPU (bench/cli-start.bench.ts). Built outside any node_modules, so a package the build left
// external would fail to load instead of being found; YAML files that only the yaml library reads
// (anchors, comments after values) and its syntax errors still come out as before.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCliInto } from '../support/built-cli.ts';

const run = promisify(execFile);

let scratch: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The built CLI's caches (code, entries) go to the scratch directory, never the real ~/.cache.
  const env = { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache') };
  return run(process.execPath, [join(scratch, 'dist', 'consul-gitops.js'), ...args], { cwd: join(scratch, 'work'), env }).then(
    (x) => ({ code: 0, ...x }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

beforeAll(async () => {
  // Outside the repository: no node_modules above it to resolve an external package from.
  scratch = mkdtempSync(join(tmpdir(), 'cli-bundled-parsers-'));
  await builtCliInto(join(scratch, 'dist'));
  const dir = join(scratch, 'work', 'config-entries');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'web.hcl'), 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n');
  writeFileSync(join(dir, 'router.yaml'), 'Kind: service-router\nName: web\nRoutes:\n  - Match:\n      HTTP:\n        PathPrefix: /v2\n');
  // An anchor, an alias and a comment after a value: only the yaml library reads these.
  writeFileSync(
    join(dir, 'api.yaml'),
    'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: &n api # the service\nspec:\n  protocol: "http"\n  upstreamConfig:\n    overrides:\n      - name: *n\n',
  );
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the built CLI, with no node_modules to load packages from', () => {
  it('validates and renders HCL, plain YAML and YAML that needs the yaml library', async () => {
    const v = await cli(['validate']);
    expect(v.stderr).toBe('');
    expect(v.stdout).toContain('3 entries valid');
    const r = await cli(['render', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const api = (JSON.parse(r.stdout) as { Kind: string; Name: string; UpstreamConfig?: unknown }[]).find((e) => e.Name === 'api');
    expect(api).toEqual({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', UpstreamConfig: { Overrides: [{ Name: 'api' }] } });
  }, 60_000);

  it("reports a YAML syntax error with the yaml library's message, file and line, and renders nothing", async () => {
    writeFileSync(join(scratch, 'work', 'broken.yaml'), 'Kind: service-defaults\nName: [web\n');
    try {
      const r = await cli(['render', 'broken.yaml']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+/);
      expect(r.stderr.toLowerCase()).toContain('flow sequence');
    } finally {
      rmSync(join(scratch, 'work', 'broken.yaml'));
    }
  }, 60_000);
});
