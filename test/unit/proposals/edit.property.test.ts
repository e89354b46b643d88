// Property: for any service-defaults file in any format, key spelling, quote style, comment,
// indentation, line ending and neighbouring documents, the strict edit changes exactly one line,
// only the mode's value on it, and the edited tree renders to the old entry with the mode strict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proposeStrictMode } from '../../../src/core/proposals/propose-strict.ts';
import { renderTree } from '../../../src/core/render.ts';
import { applyChanges } from '../../../src/core/proposals/proposal.ts';

const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const metaValue = fc.stringMatching(/^[a-zA-Z0-9 _.-]{0,20}$/);

const fileArb = fc.record({
  format: fc.constantFrom('hcl', 'json', 'yaml', 'crd'),
  modeKey: fc.constantFrom('MutualTLSMode', 'mutual_tls_mode', 'mutualtlsmode', 'MUTUALTLSMODE', 'mutualTLSMode'),
  quote: fc.constantFrom('"', "'", ''),
  indent: fc.constantFrom('  ', '    ', '\t'),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  protocol: fc.option(fc.constantFrom('http', 'tcp', 'grpc'), { nil: undefined }),
  meta: fc.dictionary(word, metaValue, { maxKeys: 3 }),
  modeAt: fc.nat(3),
  comment: fc.option(fc.constantFrom('MutualTLSMode = "permissive"', 'flip to strict later', 'mutual_tls_mode: permissive'), { nil: undefined }),
  before: fc.array(
    word.filter((w) => w !== 'orders'),
    { maxLength: 2 },
  ),
  after: fc.array(
    word.filter((w) => w !== 'orders'),
    { maxLength: 2 },
  ),
});

type Spec = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

function render(s: Spec): { path: string; text: string } {
  const q = s.quote;
  const json = s.format === 'json';
  const hcl = s.format === 'hcl';
  const crd = s.format === 'crd';
  const ind = s.format === 'yaml' || crd ? s.indent.replace('\t', '  ') : s.indent;
  const lines: string[] = [];
  const scalar = (k: string, v: string) => (hcl ? `${k} = "${v}"` : json ? `"${k}": "${v}"` : `${k}: ${q === "'" ? `'${v}'` : q === '"' ? `"${v}"` : v}`);
  const others: string[][] = [];
  if (s.protocol) others.push([scalar(crd ? 'protocol' : 'Protocol', s.protocol)]);
  const metaEntries = Object.entries(s.meta);
  if (metaEntries.length) {
    if (hcl) others.push(['Meta {', ...metaEntries.map(([k, v]) => `${ind}${k} = "${v}"`), '}']);
    else if (json) others.push([`"Meta": {`, ...metaEntries.map(([k, v], i) => `${ind}"${k}": "${v}"${i < metaEntries.length - 1 ? ',' : ''}`), '}']);
    else others.push([`${crd ? 'meta' : 'Meta'}:`, ...metaEntries.map(([k, v]) => `${ind}${k}: "${v}"`)]);
  }
  const mode = [scalar(s.modeKey, 'permissive') + (s.comment && !json ? (hcl ? ` # ${s.comment}` : ` # ${s.comment}`) : '')];
  const body = [...others];
  body.splice(Math.min(s.modeAt, body.length), 0, mode);
  const head = crd ? [] : [[scalar(hcl || json ? 'Kind' : 'Kind', 'service-defaults')], [scalar('Name', 'orders')]];
  const blocks = [...head, ...body];
  if (s.comment && hcl) lines.push(`// ${s.comment}`);
  if (json) {
    lines.push('{');
    blocks.forEach((b, i) => b.forEach((l, j) => lines.push(`${s.indent}${l}${j === b.length - 1 && i < blocks.length - 1 ? ',' : ''}`)));
    lines.push('}');
  } else if (crd) {
    lines.push('apiVersion: consul.hashicorp.com/v1alpha1', 'kind: ServiceDefaults', 'metadata:', `${ind}name: orders`, 'spec:');
    for (const b of body) for (const l of b) lines.push(`${ind}${l.replace(/^meta:/, 'meta:')}`.replace(/^(\s+)(\s+)(\S+: ")/, '$1$2$3'));
  } else for (const b of blocks) lines.push(...b);
  let text = lines.join(s.eol) + s.eol;
  if (s.format === 'yaml' || crd) {
    const doc = (n: string) =>
      crd
        ? `apiVersion: consul.hashicorp.com/v1alpha1${s.eol}kind: ServiceDefaults${s.eol}metadata:${s.eol}${ind}name: ${n}${s.eol}spec:${s.eol}${ind}mutualTLSMode: permissive${s.eol}`
        : `Kind: service-defaults${s.eol}Name: ${n}${s.eol}MutualTLSMode: permissive${s.eol}`;
    const uniq = (xs: string[]) => [...new Set(xs)];
    const after = uniq(s.after).filter((n) => !s.before.includes(n));
    text = [...uniq(s.before).map(doc), text, ...after.map(doc)].join(`---${s.eol}`);
  }
  const ext = hcl ? 'hcl' : json ? 'json' : 'yaml';
  return { path: `services/orders.${ext}`, text: (s.bom ? '\ufeff' : '') + text };
}

describe('the strict edit, over generated files', () => {
  it('changes only the mode value on one line and renders to the intended entry', () => {
    const orders = { name: 'orders', namespace: 'default', partition: 'default' };
    fc.assert(
      fc.property(fileArb, (spec) => {
        const file = render(spec);
        const before = renderTree([file]);
        expect(before.decodeErrors).toEqual([]);
        const old = before.entries.find((e) => e.normalized.Name === 'orders')!;
        expect(old.normalized.MutualTLSMode).toBe('permissive');

        const outcome = proposeStrictMode({ files: [file], service: orders, origin: { kind: 'service-defaults' } });
        if (!outcome.ok) throw new Error(`${outcome.reason}\n${file.text}`);
        const after = outcome.changes[0].after;
        const a = file.text.split('\n');
        const b = after.split('\n');
        expect(b).toHaveLength(a.length);
        const changed = a.map((l, i) => i).filter((i) => a[i] !== b[i]);
        expect(changed).toHaveLength(1);
        const i = changed[0];
        // The same line with the value's word swapped: nothing else on it moved.
        expect(b[i]).toBe(a[i].replace('permissive', 'strict'));

        const rendered = renderTree(applyChanges([file], outcome.changes));
        expect(rendered.decodeErrors).toEqual([]);
        const now = rendered.entries.map((e) => e.normalized);
        expect(now).toEqual(before.entries.map((e) => (e === old ? { ...e.normalized, MutualTLSMode: 'strict' } : e.normalized)));
      }),
      { numRuns: 200 },
    );
  });
});
