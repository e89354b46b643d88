// Plan → Markdown on real plans: files rendered with renderTree, planned with planChanges against
// live entries applied to the in-memory store, then rendered for a PR comment.
import { describe, expect, it } from 'vitest';
import { renderErrorsMarkdown, renderPlanMarkdown } from '../../src/reports/plan-markdown.ts';
import { applyPlan } from '../../src/app/apply-plan.ts';
import { readLive } from '../../src/app/make-plan.ts';
import type { SourceFile } from '../../src/core/parse-files.ts';
import { planChanges, type PlanOptions } from '../../src/core/plan/plan.ts';
import { renderTree } from '../../src/core/render.ts';
import { formatConfigEntryError } from '../../src/model/errors.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';
import { TEST_CERT, TEST_KEY } from '../fixtures/certs.ts';

const f = (path: string, text: string): SourceFile => ({ path, text });
const opts: PlanOptions = { prune: true, adopt: false };
const mesh = f('config-entries/mesh.hcl', 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n');
const api = (mode: string) => f('config-entries/api.hcl', `Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "${mode}"\n`);
const old = f('config-entries/old.hcl', 'Kind = "service-defaults"\nName = "old"\nProtocol = "tcp"\n');
const web = f('config-entries/web.yaml', 'Kind: service-defaults\nName: web\nProtocol: http\n');
const webIntentions = f('config-entries/web-intentions.hcl', 'Kind = "service-intentions"\nName = "web"\nSources = [{ Name = "api", Action = "allow" }]\n');

function entries(files: SourceFile[]) {
  const tree = renderTree(files);
  expect([...tree.decodeErrors, ...tree.validationErrors]).toEqual([]);
  return tree.entries;
}

/** Live state = v1 applied; plan = v2 against it. */
async function planFrom(v1: SourceFile[], v2: SourceFile[], store = new InMemoryConfigEntryStore()) {
  const first = await applyPlan(store, planChanges(entries(v1), await readLive(store), opts));
  expect(first.ok).toBe(true);
  return { plan: planChanges(entries(v2), await readLive(store), opts), store };
}

describe('renderPlanMarkdown', () => {
  it('summarises and shows a collapsible field-level diff per change', async () => {
    const { plan } = await planFrom([mesh, api('permissive'), old], [mesh, api('strict'), web, webIntentions]);
    expect(plan.summary).toMatchObject({ create: 2, update: 1, delete: 1, noop: 1 });

    const md = renderPlanMarkdown({ plan, title: 'consul-gitops plan for dc1', revision: '0123456789abcdef0123' });

    expect(md.startsWith('### consul-gitops plan for dc1 at `0123456789ab`\n\n**Plan: 2 to create, 1 to update, 1 to delete.** (1 unchanged)\n')).toBe(true);
    expect(md.match(/<details>/g)).toHaveLength(4);
    expect(md).toContain('<summary><code>~</code> update <code>service-defaults/api</code> (config-entries/api.hcl:1): 1 field</summary>');
    expect(md).toContain(['```diff', '- MutualTLSMode = "permissive"', '+ MutualTLSMode = "strict"', '  # (2 unchanged attributes hidden)', '```'].join('\n'));
    expect(md).toContain('<summary><code>+</code> create <code>service-defaults/web</code> (config-entries/web.yaml:1)</summary>');
    expect(md).toContain('+ Protocol = "http"');
    expect(md).toContain('<summary><code>-</code> delete <code>service-defaults/old</code> (was config-entries/old.hcl)</summary>');
    expect(md).toContain('> no file defines it any more');
    expect(md).toContain('- Protocol = "tcp"');
    // The ownership marker is in every write: not worth a line in a create or delete.
    expect(md).not.toContain('managed-by');
    // The unchanged mesh entry is counted, not listed.
    expect(md).not.toMatch(/<summary>.*mesh\/mesh/);
    expect(md).toContain('**Warnings**');
    expect(md).toContain('⚠️');
  });

  it('says there are no changes', async () => {
    const { plan } = await planFrom([mesh, api('strict')], [mesh, api('strict')]);
    const md = renderPlanMarkdown({ plan });
    expect(md).toContain('**Plan: 0 to create, 0 to update, 0 to delete.** (2 unchanged)');
    expect(md).toContain('No changes. Consul matches the files.');
    expect(md).not.toContain('<details>');
  });

  it('adds apply outcomes, failures and their messages', async () => {
    const { plan, store } = await planFrom([mesh, api('permissive')], [mesh, api('strict'), web]);
    store.failWrites.set('service-defaults/web', 'Unexpected response code: 500 (invalid protocol)');

    const report = await applyPlan(store, plan);
    const md = renderPlanMarkdown({ plan, report });

    expect(md).toContain('**Apply: 1 applied, 1 failed, 0 conflicts, 0 not attempted.**');
    expect(md).toContain('update <code>service-defaults/api</code> (config-entries/api.hcl:1): 1 field — ✅ applied</summary>');
    expect(md).toContain('create <code>service-defaults/web</code> (config-entries/web.yaml:1) — ❌ failed</summary>');
    expect(md).toContain('> Unexpected response code: 500 (invalid protocol)');
  });

  it('lists skipped entries with the reason and shows a refused plan', async () => {
    const store = new InMemoryConfigEntryStore();
    store.seed({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp', Meta: { 'external-source': 'kubernetes' } }); // consul-k8s owns it
    const plan = planChanges(entries([api('strict')]), await readLive(store), opts);
    const md = renderPlanMarkdown({ plan: { ...plan, refused: 'refusing to delete every entry <all>' } });
    expect(md).toContain('**Skipped**');
    expect(md).toContain(
      '- <code>service-defaults/api</code>: owned by kubernetes (Meta.external-source); consul-gitops never writes it, although it differs from the file',
    );
    expect(md).toContain('> [!CAUTION]\n> Refused: refusing to delete every entry &lt;all&gt;');
  });

  it('lists errors as path:line:col field: message, with hints and optional links', () => {
    const tree = renderTree([
      f('config-entries/bad.hcl', 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "sometimes"\n'),
      f('config-entries/broken.hcl', 'Kind = "mesh"\nTransparentProxy {\n'),
    ]);
    const errors = [...tree.decodeErrors, ...tree.validationErrors];
    expect(errors.length).toBeGreaterThanOrEqual(2);

    const md = renderPlanMarkdown({ errors });

    expect(md).toContain(`**${errors.length} errors in the config entries; nothing was planned.**`);
    for (const e of errors) {
      const line = formatConfigEntryError(e).split('\n')[0];
      expect(line.startsWith(`${e.file}:${e.line}:${e.column}:`)).toBe(true);
      expect(md).toContain(`- ${line.replace(/([\\`*[\]|~])/g, '\\$1')}`);
    }
    const bad = errors.find((e) => e.file === 'config-entries/bad.hcl')!;
    expect(md).toContain(`config-entries/bad.hcl:${bad.line}:${bad.column}: ${bad.field}:`);

    const linked = renderErrorsMarkdown(errors, (path, line) => `https://github.com/acme/mesh/blob/abc/${path}#L${line}`);
    expect(linked).toContain(
      `- [config-entries/bad.hcl:${bad.line}:${bad.column}](https://github.com/acme/mesh/blob/abc/config-entries/bad.hcl#L${bad.line}): ${bad.field}:`,
    );
  });

  it('fits GitHub’s comment limit by folding details into one-line entries, and says so instead of cutting', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      f(`config-entries/svc${i}.hcl`, `Kind = "service-defaults"\nName = "svc${i}"\nProtocol = "http"\nMutualTLSMode = "strict"\n`),
    );
    const { plan } = await planFrom([], many);
    const full = renderPlanMarkdown({ plan });
    expect(full.match(/<details>/g)).toHaveLength(60);
    // Long plan: the table by kind comes before the details.
    expect(full.indexOf('| <code>service-defaults</code> | 60 | 0 | 0 |')).toBeLessThan(full.indexOf('<details>'));

    const folded = renderPlanMarkdown({ plan, maxChars: 6000, fullPlanUrl: 'https://ci.example.test/plan/42' });
    expect(folded.length).toBeLessThanOrEqual(6000);
    const detailed = folded.match(/<details>/g)?.length ?? 0;
    expect(detailed).toBeGreaterThan(0);
    expect(detailed).toBeLessThan(60);
    expect(folded).toContain(
      `The next ${60 - detailed} changes are listed without their attributes, to keep this comment under GitHub's 65,536-character limit. [Read the full plan](https://ci.example.test/plan/42)`,
    );
    // Every change is still named: folded, not dropped.
    for (let i = 0; i < 60; i++) expect(folded).toContain(`<code>service-defaults/svc${i}</code>`);
    expect(folded).toContain('**Plan: 60 to create, 0 to update, 0 to delete.**');

    const tiny = renderPlanMarkdown({ plan, maxChars: 1500, revision: 'abcdef0123456789' });
    expect(tiny.length).toBeLessThanOrEqual(1500);
    const listed = tiny.match(/^- <code>\+<\/code> create/gm)?.length ?? 0;
    expect(tiny).toContain(
      `**${60 - listed} more changes are not shown: this comment would pass GitHub's 65,536-character limit.** Run \`consul-gitops plan\` at \`abcdef012345\` to read the full plan.`,
    );
    expect(tiny).not.toContain('cut to fit');
  });

  it('keeps values from closing the code fence', async () => {
    const tricky = f('config-entries/api.hcl', 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMeta { note = "```" }\n');
    const { plan } = await planFrom([], [tricky]);
    const md = renderPlanMarkdown({ plan });
    expect(md).toContain('````diff');
    expect(md).toContain('+ Meta     = {\n+     note = "```"\n+ }');
  });

  it('never puts a private key in the comment', async () => {
    const key = TEST_KEY.split('\n')[1];
    const cert = f('config-entries/cert.json', JSON.stringify({ Kind: 'inline-certificate', Name: 'gw', Certificate: TEST_CERT, PrivateKey: TEST_KEY }));
    const { plan } = await planFrom([], [cert]);
    const md = renderPlanMarkdown({ plan });
    expect(md).toContain('+ PrivateKey  = (sensitive value)');
    expect(md).not.toContain(key);
  });

  it('tells the reviewer an update would remove live fields consul-gitops does not know', () => {
    const owned = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' };
    const live = [{ entry: { Kind: 'service-defaults', Name: 'web', Protocol: 'http', FutureKnob: { Level: 3 }, Meta: owned }, modifyIndex: 7 }];
    const plan = planChanges(entries([f('config-entries/web.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n')]), live, opts);
    const md = renderPlanMarkdown({ plan });
    expect(md).toContain('> <code>FutureKnob</code>: unknown to consul-gitops: would be removed (written only with --allow-field-loss)');
  });
});
