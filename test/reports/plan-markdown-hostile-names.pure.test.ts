// A pull request may add a file whose name is Markdown: a blank line then `# Approved`, a link of its
// own, raw HTML. The PR comment listing that file's errors (with links to the file on GitHub, as the
// reconciler writes it) shows the name as text and links to it, and starts no markup of its own.
import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../src/reports/plan-markdown.ts';
import { renderTree } from '../../src/core/render.ts';

const fileUrl = (path: string, line: number) => `https://github.com/acme/mesh/blob/abc/${path}#L${line}`;

function errorsOf(path: string) {
  const tree = renderTree([{ path, text: 'Kind = "service-defaults"\nName = "web"\nBogus = 1\n' }]);
  expect(tree.decodeErrors.length).toBeGreaterThan(0);
  return tree.decodeErrors;
}

/** The link `[text](target)` of the first error line, parsed as GitHub does: the target ends at the first space or `)`. */
function firstLink(md: string): { text: string; target: string; after: string } {
  const line = md.split('\n').find((l) => l.startsWith('- ['))!;
  const m = /^- \[((?:\\.|[^\]\\])*)\]\(([^\s)]*)\)(.*)$/.exec(line);
  expect(m, line).not.toBeNull();
  return { text: m![1], target: m![2], after: m![3] };
}

describe('the PR comment for errors in a file with a hostile name', () => {
  it('forges no heading from a name holding blank lines', () => {
    const md = renderPlanMarkdown({ errors: errorsOf('config-entries/a\n\n# Approved\nb.hcl'), fileUrl });
    expect(md).not.toMatch(/^# Approved/m);
    const link = firstLink(md);
    expect(link.target).toBe('https://github.com/acme/mesh/blob/abc/config-entries/a%0A%0A#%20Approved%0Ab.hcl#L3');
    expect(link.text).toBe('config-entries/a\\\\u000a\\\\u000a# Approved\\\\u000ab.hcl:3:1');
    expect(link.after).toMatch(/^: Bogus: /);
  });

  it('keeps a name holding a link and raw HTML inside its own link', () => {
    const md = renderPlanMarkdown({ errors: errorsOf('config-entries/x) ![t](https:/evil.example/p.png) <img src=x onerror=alert(1)>.hcl'), fileUrl });
    const link = firstLink(md);
    expect(link.target).toBe(
      'https://github.com/acme/mesh/blob/abc/config-entries/x%29%20!%5Bt%5D%28https:/evil.example/p.png%29%20%3Cimg%20src=x%20onerror=alert%281%29%3E.hcl#L3',
    );
    expect(link.after).toMatch(/^: Bogus: /);
    expect(md).not.toContain('<img');
  });
});
