// Where a heredoc ends, as `consul config write` reads it: Consul parses HCL with hashicorp/hcl v1,
// whose scanner (hcl/scanner/scanner.go scanHeredoc) ends a heredoc at the first line, at least as
// long as the anchor's bytes, that matches `[[:space:]]*MARKER\z` unanchored: any line ending with
// the marker. A CRLF anchor keeps its "\r" in those bytes, so its closing line must end "MARKER\r".
// Cases from HCL1's own tests (scanner_test.go TestWindowsLineEndings, TestRealExample; decoder
// fixture multiline_no_eof.hcl), plus the regexp's reach that no HCL1 test pins (`xEOF`).
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../../src/formats/hcl/parse-hcl.ts';
import type { RawObject } from '../../../src/formats/raw.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

function values(text: string): Record<string, unknown> {
  const r = parseHcl(text);
  if (!r.ok) throw new Error(`unexpected failure: ${JSON.stringify(r.problems)}`);
  const out: Record<string, unknown> = {};
  for (const e of (r.documents[0] as RawObject).entries) out[e.key] = 'value' in e.value ? e.value.value : undefined;
  return out;
}

const problems = (text: string) => {
  const r = parseHcl(text);
  return r.ok ? [] : r.problems.map((p) => p.message);
};

describe("heredoc end, as HCL1's scanHeredoc", () => {
  it('TestWindowsLineEndings: a CRLF heredoc ends at its CRLF marker line and keeps the CR of its text', () => {
    const hcl = 'user_data=<<HEREDOC\n    test script\nHEREDOC\nafter = 1\n'.replace(/\n/g, '\r\n');
    expect(values(hcl)).toEqual({ user_data: '    test script\r\n', after: 1 });
  });

  it('TestRealExample: `<<EOF` and an indented `<<-EOF` whose marker line is indented', () => {
    expect(values('description = <<EOF\nMain interface\nEOF\n')).toEqual({ description: 'Main interface\n' });
    expect(values('description = <<-EOF\n\t\t\tOuter text\n\t\t\t\tIndented text\n\t\t\tEOF\n')).toEqual({ description: 'Outer text\n\tIndented text\n' });
  });

  it('multiline_no_eof.hcl: the marker line ends the heredoc and the file reads on', () => {
    expect(values('foo = <<EOF\nbar\nbaz\nEOF\nkey = "value"')).toEqual({ foo: 'bar\nbaz\n', key: 'value' });
  });

  it('any line ending with the marker ends it, and what comes before the marker on that line is kept (token.go unindentHeredoc)', () => {
    expect(values('a = <<EOF\nab\nxEOF\nb = 1\n')).toEqual({ a: 'ab\nx', b: 1 });
    expect(values('a = <<EOF\nabc\n   EOF\n')).toEqual({ a: 'abc\n   ' });
  });

  it('a closing line with a CR does not end an LF anchor (the regexp ends at \\z), and an LF line does not end a CRLF anchor', () => {
    expect(problems('a = <<EOF\nabc\nEOF\r\n')).toEqual([expect.stringContaining('not terminated')]);
    expect(problems('a = <<EOF\r\nabc\r\nEOF\n')).toEqual([expect.stringContaining('not terminated')]);
  });

  it('`<<-EOF`: the closing line must be at least as long as `-EOF` (the length check counts the dash)', () => {
    expect(problems('a = <<-EOF\n  x\nEOF\n')).toEqual([expect.stringContaining('not terminated')]);
    expect(values('a = <<-EOF\n  x\n EOF\n')).toEqual({ a: ' x\n' });
  });

  it('render reads such a file as Consul does (the production path)', async () => {
    const dir = tempTree({
      'a.hcl': 'Kind = "service-defaults"\nName = "a"\nMeta { note = <<EOF\nfirst\nlastEOF\n}\nProtocol = "http"\n',
    });
    const run = await runCli(['render', '--json', 'a.hcl'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ Meta: { note: 'first\nlast' }, Protocol: 'http' });
  });
});
