// Golden files of the text and Markdown plans (test/fixtures/plans/NAME.txt|md) for every kind of
// change: nested lists and maps created, updated and deleted, explicit zero values, creates with
// server-filled fields, drift. Real plans: files rendered with renderTree, live state applied to
// the in-memory store, planned with planChanges. `UPDATE_GOLDEN=1` rewrites the files (review them).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { renderPlanMarkdown } from '../../src/reports/plan-markdown.ts';
import { PLAIN, renderPlanText } from '../../src/core/plan/render-plan.ts';
import { applyPlan } from '../../src/app/apply-plan.ts';
import { readLive } from '../../src/app/make-plan.ts';
import type { SourceFile } from '../../src/core/parse-files.ts';
import { planChanges, type Plan } from '../../src/core/plan/plan.ts';
import { markChangedOutside } from '../../src/core/plan/changed-outside.ts';
import { renderTree } from '../../src/core/render.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';

const DIR = new URL('../fixtures/plans/', import.meta.url);
const f = (path: string, text: string): SourceFile => ({ path: `config-entries/${path}`, text });

function entries(files: SourceFile[]) {
  const tree = renderTree(files);
  expect([...tree.decodeErrors, ...tree.validationErrors]).toEqual([]);
  return tree.entries;
}

/** Live = `v1` applied by consul-gitops (then `outside` changes made by hand); the plan is `v2` against it. */
async function scenario(v1: SourceFile[], v2: SourceFile[], outside?: (store: InMemoryConfigEntryStore) => Promise<void>): Promise<Plan> {
  const store = new InMemoryConfigEntryStore();
  expect((await applyPlan(store, planChanges(entries(v1), await readLive(store), { prune: true, adopt: false }))).ok).toBe(true);
  // What the last-applied record's ModifyIndex would be: written right after the apply.
  const recorded = Math.max(0, ...(await readLive(store)).map((l) => l.modifyIndex));
  await outside?.(store);
  return markChangedOutside(planChanges(entries(v2), await readLive(store), { prune: true, adopt: false }), recorded);
}

function golden(name: string, actual: string): void {
  const url = new URL(name, DIR);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(url)) writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

const meshV1 = f('mesh.hcl', 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n');

const intentionsDb = f(
  'db-intentions.hcl',
  `Kind = "service-intentions"
Name = "db"
Sources = [
  { Name = "api", Action = "allow" },
  {
    Name = "web"
    Permissions = [
      {
        Action = "allow"
        HTTP {
          PathPrefix = "/v1"
          Methods    = ["GET", "POST"]
          Header     = [{ Name = "x-team", Exact = "payments" }]
        }
      }
    ]
  },
  { Name = "*", Action = "deny" },
]
`,
);

const resolver = (subsets: string) => f('api-resolver.hcl', `Kind = "service-resolver"\nName = "api"\nDefaultSubset = "v1"\nSubsets {\n${subsets}}\n`);
const apiDefaults = (body: string) => f('api.hcl', `Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n${body}`);

describe('plan renderings (golden files)', () => {
  it('creates: nested lists and maps line by line, as the file says, without Precedence or Type', async () => {
    const plan = await scenario(
      [],
      [
        intentionsDb,
        resolver('  v1 = { Filter = "Service.Meta.version == v1" }\n  v2 = { Filter = "Service.Meta.version == v2", OnlyPassing = true }\n'),
        apiDefaults('MutualTLSMode = "strict"\nTransparentProxy { DialedDirectly = false }\nMeta { team = "payments", "cost-center" = "42" }\n'),
      ],
    );
    const text = renderPlanText(plan, PLAIN);
    expect(text).not.toMatch(/Precedence|Type /);
    expect(text).not.toContain('{"');
    golden('create-nested.txt', text);
    golden('create-nested.md', renderPlanMarkdown({ plan, title: 'consul-gitops plan for dc1', revision: '0123456789abcdef' }));
  });

  it('updates: list elements added, removed and changed; map keys added, changed and removed; nested objects', async () => {
    const plan = await scenario(
      [
        f(
          'db-intentions.hcl',
          'Kind = "service-intentions"\nName = "db"\nSources = [\n  { Name = "api", Action = "allow" },\n  { Name = "web", Permissions = [{ Action = "allow", HTTP { PathPrefix = "/v1", Methods = ["GET"] } }] },\n  { Name = "batch", Action = "allow" },\n]\n',
        ),
        resolver('  v1 = { Filter = "Service.Meta.version == v1" }\n'),
        apiDefaults('TransparentProxy { OutboundListenerPort = 15001 }\nMeta { team = "payments", tier = "gold" }\n'),
      ],
      [
        intentionsDb,
        resolver('  v1 = { Filter = "Service.Meta.version == v1" }\n  v2 = { Filter = "Service.Meta.version == v2", OnlyPassing = true }\n'),
        apiDefaults('TransparentProxy { OutboundListenerPort = 15002 }\nMeta { team = "checkout", "cost-center" = "42" }\n'),
      ],
    );
    golden('update-nested.txt', renderPlanText(plan, PLAIN));
    golden('update-nested.md', renderPlanMarkdown({ plan }));
  });

  it('explicit and implicit zero values read as Consul reads them: true → false, 10 → 0', async () => {
    const plan = await scenario(
      [meshV1, apiDefaults('MaxInboundConnections = 10\nBalanceInboundConnections = "exact_balance"\nTransparentProxy { DialedDirectly = true }\n')],
      // mesh: the flag's line removed; api: `false` and `0` written out, the string removed.
      [f('mesh.hcl', 'Kind = "mesh"\n'), apiDefaults('MaxInboundConnections = 0\nTransparentProxy { DialedDirectly = false }\n')],
    );
    const text = renderPlanText(plan, PLAIN);
    expect(text).toContain('~ AllowEnablingPermissiveMutualTLS = true → false');
    expect(text).toContain('~ DialedDirectly = true → false');
    expect(text).not.toContain('(absent)');
    golden('zero-values.txt', text);
    golden('zero-values.md', renderPlanMarkdown({ plan }));
  });

  it('deletes: every removed value, nested, with the file it came from', async () => {
    const plan = await scenario([intentionsDb, apiDefaults('')], [apiDefaults('')]);
    golden('delete-nested.txt', renderPlanText(plan, PLAIN));
    golden('delete-nested.md', renderPlanMarkdown({ plan }));
  });

  it('drift: an entry changed by hand after the last apply is labelled changed outside consul-gitops', async () => {
    const files = [apiDefaults('MutualTLSMode = "strict"\n'), f('web.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n')];
    const plan = await scenario(
      files,
      [apiDefaults('MutualTLSMode = "strict"\n'), f('web.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n')],
      async (store) => {
        const live = (await store.get('service-defaults', 'api'))!;
        expect(await store.write({ ...live.entry, MutualTLSMode: 'permissive' }, live.modifyIndex)).toBe(true);
      },
    );
    expect(plan.changes.filter((c) => c.changedOutside).map((c) => c.id.name)).toEqual(['api']);
    const text = renderPlanText(plan, PLAIN);
    golden('drift.txt', text);
    const md = renderPlanMarkdown({ plan });
    expect(md).toContain('changed outside consul-gitops');
    golden('drift.md', md);
  });

  it('long plans open with a table by kind', async () => {
    const plan = await scenario(
      [meshV1, f('old.hcl', 'Kind = "service-defaults"\nName = "old"\nProtocol = "tcp"\n')],
      [
        f('mesh.hcl', 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy { MeshDestinationsOnly = true }\n'),
        apiDefaults(''),
        f('web.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n'),
        f('web-intentions.hcl', 'Kind = "service-intentions"\nName = "web"\nSources = [{ Name = "api", Action = "allow" }]\n'),
      ],
    );
    const text = renderPlanText(plan, PLAIN);
    expect(text.indexOf('kind ')).toBeLessThan(text.indexOf('+ create'));
    golden('long.txt', text);
    golden('long.md', renderPlanMarkdown({ plan, fileUrl: (p, l) => `https://github.com/acme/mesh/blob/0123456/${p}#L${l}` }));
  });
});
