// Issue 11 class 5: a filter Consul rejects gets go-bexpr's own error text, positions and expected
// lists included, through the paths a user meets it on: `validate` of a service-resolver subset
// Filter and the dev server's config-entry list filter.
import { afterEach, describe, expect, it } from 'vitest';
import { parseBexprText } from '../../../src/core/bexpr-parse.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { runCli, tempTree } from '../../support/run-cli.ts';

// hashicorp/go-bexpr v0.1.2 grammar_test.go TestExpressionParsing: every case it expects to fail,
// with the error text it expects.
const GO_BEXPR_ERRORS: [string, string][] = [
  ['foo == "12x', '1:12 (11): rule "string": Unterminated string literal'],
  ['foo == `12x', '1:12 (11): rule "string": Unterminated string literal'],
  ['foo == 3x', '1:9 (8): rule "number": Invalid number literal'],
  ['foo[3] == abc', '1:5 (4): rule "index": Invalid index'],
  ['x in foo["abc"', '1:15 (14): rule "index": Unclosed index expression'],
  ['foo["abc" == 3', '1:11 (10): rule "index": Unclosed index expression'],
  ['x in 32', '1:6 (5): rule "match": Invalid selector'],
  ['32 == 32', '1:4 (3): no match found, expected: "in", "not" or [ \\t\\r\\n]'],
  ['32 is empty', '1:4 (3): no match found, expected: "in", "not" or [ \\t\\r\\n]'],
  ['x in foo abc', '1:10 (9): no match found, expected: "and", "or", [ \\t\\r\\n] or EOF'],
  ['x in foo and ', '1:14 (13): no match found, expected: "(", "-", "0", "\\"", "`", "not", [ \\t\\r\\n], [1-9] or [a-zA-Z]'],
  ['x in foo or ', '1:13 (12): no match found, expected: "(", "-", "0", "\\"", "`", "not", [ \\t\\r\\n], [1-9] or [a-zA-Z]'],
  [
    'x in foo or not ',
    '1:17 (16): no match found, expected: "!=", "(", "-", "0", "==", "\\"", "`", "contains", "in", "is", "matches", "not", [ \\t\\r\\n], [1-9] or [a-zA-Z]',
  ],
  ['(foo == 4', '1:10 (9): rule "grouping": Unmatched parentheses'],
];

// The same test's cases that parse.
const GO_BEXPR_OK: string[] = [
  'foo == 3',
  'foo != xyz',
  'list is empty',
  'list is not empty',
  'foo in bar',
  'foo not in bar',
  'bar contains foo',
  'bar not contains foo',
  'foo matches bar',
  'foo not matches bar',
  'not prod in tags',
  'port != 80 and port != 8080',
  'port == 80 or port == 443',
  'foo == "bar"',
  'foo != "bar"',
  '"foo" in bar',
  '"foo" not in bar',
  'foo == `bar`',
  'foo != `bar`',
  '`foo` in bar',
  '`foo` not in bar',
  'x in foo and not str == something or list is empty',
  'x in foo and not (str == something or list is empty)',
  '\t\r\n  foo \t\r\n == \t\r\n x \t\r\n',
  '\t\r\n  foo \t\r\n != \t\r\n x \t\r\n',
  '\t\r\n  foo \t\r\n in \t\r\n x \t\r\n',
  '\t\r\n  foo \t\r\n not \t\r\n in \t\r\n x \t\r\n',
  '\t\r\n  foo \t\r\n is \t\r\n empty \t\r\n',
  '\t\r\n  foo \t\r\n is \t\r\n not \t\r\n empty \t\r\n',
  '\t\r\n not \t\r\n  foo \t\r\n in \t\r\n x \t\r\n',
  '\t\r\n foo \t\r\n == \t\r\n x \t\r\n and \t\r\n y \t\r\n is \t\r\n empty \t\r\n',
  '\t\r\n foo \t\r\n == \t\r\n x \t\r\n or \t\r\n y \t\r\n is \t\r\n empty \t\r\n',
  '\t\r\n ( \t\r\n foo \t\r\n == \t\r\n x \t\r\n ) \t\r\n',
  '`environment` in foo.bar["meta"].tags[\t`ENV` ]',
  'environment in foo["bar"]["meta"]["tags"]["ENV"]',
  'environment in foo.bar.meta.tags.ENV',
  'environment in foo["abc-def ghi åß∂ƒ"]',
  'foo == 0.2',
  'foo == 11.11',
  'foo == -0.2',
  'not not foo == 3',
  '(((foo == 3) and (not ((bar in baz) and (not (one != two))))) or (((next is empty) and (not (foo is not empty))) and (bar not in foo)))',
];

describe('go-bexpr v0.1.2 parse errors, as its own tests expect them', () => {
  it.each(GO_BEXPR_ERRORS)('%s', (input, error) => {
    expect(parseBexprText(input)).toEqual({ error });
  });

  it('parses every expression its tests parse', () => {
    for (const input of GO_BEXPR_OK) expect(parseBexprText(input), input).toHaveProperty('ast');
  });

  it('reports a bad escape as strconv.Unquote does, at the string', () => {
    expect(parseBexprText('Name == "a\\q"')).toEqual({ error: '1:9 (8): rule "string": invalid syntax' });
  });

  it('counts columns in runes and offsets in UTF-8 bytes, as pigeon does', () => {
    expect(parseBexprText('Meta["åß"] == "x" junk')).toEqual({ error: '1:19 (20): no match found, expected: "and", "or", [ \\t\\r\\n] or EOF' });
  });

  it('parses thirty nested parentheses (pigeon re-parses each level eight times over; this parser keeps rule results)', () => {
    expect(parseBexprText('('.repeat(30) + 'x == 1')).toEqual({ error: '1:37 (36): rule "grouping": Unmatched parentheses' });
  });
});

describe('where users meet them', () => {
  let server: DevServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('validate: a resolver subset Filter with an unterminated string', async () => {
    const dir = tempTree({
      'consul-gitops.yaml': 'targets:\n  - name: prod\n    dir: config-entries\n',
      'config-entries/r.hcl': 'Kind = "service-resolver"\nName = "web"\nSubsets = {\n  v1 = { Filter = "Service.Meta.version == \\"v1" }\n}\n',
    });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Subsets.v1.Filter: Filter for subset "v1" is not a valid expression: 1:28 (27): rule "string": Unterminated string literal');
  });

  it("dev server: GET /v1/config/service-defaults?filter= answers 500 with CreateFilter's wrapping of the parse error", async () => {
    server = await startDevServer({ port: 0 });
    const res = await fetch(`${server.url}/v1/config/service-defaults?filter=${encodeURIComponent('Protocol == http and ')}`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe(
      'Failed to create boolean expression evaluator: 1:22 (21): no match found, expected: "(", "-", "0", "\\"", "`", "not", [ \\t\\r\\n], [1-9] or [a-zA-Z]',
    );
  });
});
