// import of entries whose user maps hold `__proto__` (Consul keeps it: a Go map), through main()
// and the dev server, in every format: the key is written to the file, and plan --adopt reads the
// file back as what Consul holds (only the ownership markers to add).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const ENTRIES = [
  '{"Kind":"service-defaults","Name":"web","Protocol":"http","Meta":{"__proto__":"x","keep":"k"}}',
  '{"Kind":"proxy-defaults","Name":"global","Config":{"protocol":"http","__proto__":{"polluted":"yes"}}}',
  '{"Kind":"service-router","Name":"web","Routes":[{"Destination":{"RequestHeaders":{"Add":{"__proto__":"y"}}}}]}',
];

describe('import of a __proto__ key of a user map', () => {
  for (const format of ['hcl', 'json', 'yaml', 'crd'] as const) {
    it(`${format}: written to the file, and plan --adopt adds only the ownership markers`, async () => {
      for (const body of ENTRIES) expect((await fetch(`${server.url}/v1/config`, { method: 'PUT', body })).status).toBe(200);
      const dir = tempTree({});
      const imported = await runCli(['import', '--consul', server.url, '--format', format], dir);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const ext = format === 'crd' ? 'yaml' : format;
      expect(readFileSync(join(dir, `config-entries/service-defaults/web.${ext}`), 'utf8')).toContain('__proto__');
      expect(readFileSync(join(dir, `config-entries/service-router/web.${ext}`), 'utf8')).toContain('__proto__');
      const plan = await runCli(['plan', '--consul', server.url, '--adopt', '--json'], dir);
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      const changes = (JSON.parse(plan.stdout) as { changes: { fieldDiffs: { path: string }[] }[] }).changes;
      expect(changes).toHaveLength(3);
      for (const c of changes) for (const d of c.fieldDiffs) expect(d.path).toMatch(/^Meta(\.managed-by|\.consul-gitops\/source)?$/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
