// YAML tags in an entry file (a CRD, or plain YAML): a value is what consul-k8s's YAML reader
// (go-yaml) would send, or an error naming file, line and column; never the JSON of a JavaScript
// object (`{"type":"Buffer",…}`, a quoted Date) nor a list silently emptied to nulls.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const entry = (protocol: string) => `Kind: service-defaults\nName: web\nProtocol: ${protocol}\n`;

describe('a YAML tag in an entry file', () => {
  it('!!binary is its decoded text, as go-yaml gives it', async () => {
    const cwd = tempTree({ 'config-entries/web.yaml': entry('!!binary aHR0cA==') });
    const r = await runCli(['render', '--json'], cwd);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([{ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }]);
  });

  it('an unknown tag (!!js/function) leaves the text as it is, never code', async () => {
    const cwd = tempTree({ 'config-entries/web.yaml': entry('!!js/function "function () { return 1 }"') });
    const r = await runCli(['render', '--json'], cwd);
    expect(JSON.parse(r.stdout)).toEqual([{ Kind: 'service-defaults', Name: 'web', Protocol: 'function () { return 1 }' }]);
  });

  it.each([
    ['!!timestamp 2026-12-01', 3, 23, '!!timestamp'],
    ['!!omap [a: 1, b: 2]', 3, 18, '!!omap'],
    ['!!pairs [a: 1]', 3, 19, '!!pairs'],
  ])('%s is an error naming file, line and column', async (value, line, column, tag) => {
    const cwd = tempTree({ 'config-entries/web.yaml': entry(value) });
    const r = await runCli(['validate'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`config-entries/web.yaml:${line}:${column}: a value tagged "${tag}" cannot be a config entry's value`);
  });
});
