// A long plan's PR comment lists the changes past its budget as one Markdown list item each, where
// the `<code>` and `<a>` of the change's summary are inline HTML inside Markdown: GitHub still reads
// `*y*` and `_x_` there as emphasis. The same summary inside `<details><summary>` is raw HTML, where a
// backslash would show. Names are written as entities (markdown.ts html), text in both places.
import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../src/reports/plan-markdown.ts';
import { planChanges } from '../../src/core/plan/plan.ts';
import { renderTree } from '../../src/core/render.ts';

const fileUrl = (path: string, line: number) => `https://github.com/acme/mesh/blob/abc/${path}#L${line}`;

describe('a listed change of a long plan', () => {
  it('shows a file name with emphasis marks as text, in a list item and in a summary', () => {
    const files = Array.from({ length: 40 }, (_, i) => ({
      path: `config-entries/_x${i}_ *y*.hcl`,
      text: `Kind = "service-defaults"\nName = "svc${i}"\nProtocol = "http"\n`,
    }));
    const tree = renderTree(files);
    expect(tree.decodeErrors).toEqual([]);
    const plan = planChanges(tree.entries, [], { prune: false, adopt: false });
    // In full, every change is a <details> block; past a small budget, one list item each.
    const full = renderPlanMarkdown({ plan, fileUrl });
    const folded = renderPlanMarkdown({ plan, maxChars: 6000, fileUrl });
    const summaries = full.split('\n').filter((l) => l.startsWith('<summary>'));
    const listed = folded.split('\n').filter((l) => l.startsWith('- <code>+</code> create'));
    expect(listed.length).toBeGreaterThan(0);
    expect(summaries.length).toBeGreaterThan(0);
    for (const l of [...listed, ...summaries]) {
      // No emphasis mark a reader would see as markup, and no backslash a raw HTML line would show.
      expect(l).not.toMatch(/[*_\\]/);
      expect(l).toMatch(/config-entries\/&#95;x\d+&#95; &#42;y&#42;\.hcl:1<\/a>/);
    }
  });
});
