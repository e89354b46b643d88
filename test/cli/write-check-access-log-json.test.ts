// Issue 11 class 5: the last check of AccessLogsConfig.Validate (agent/structs/connect_proxy_config.go),
// which ProxyConfigEntry.Validate runs before anything else: JSONFormat must be one JSON value
// (`json.Unmarshal([]byte(c.JSONFormat), &json.RawMessage{})`), and the error is Consul's
// "invalid access log json for JSON format: %w" around encoding/json's own text. The missing-brace
// case is Consul's TestProxyConfigEntry "proxy config has invalid access log JSON format".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

/** An HCL proxy-defaults whose access logs use this JSONFormat (HCL string syntax: quotes escaped). */
const proxy = (jsonFormat: string) =>
  `Kind = "proxy-defaults"\nName = "global"\nAccessLogs {\n  Enabled = true\n  JSONFormat = ${JSON.stringify(jsonFormat)}\n}\n`;

describe('validate: access log JSONFormat parses as JSON, as Consul parses it', () => {
  it("refuses a format cut short (Consul's own case) with file, line, field and Go's text; exit 1", async () => {
    const run = await runCli(['validate'], tempTree({ 'config-entries/short.hcl': proxy('{"start_time": "[%START_TIME%]"') }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/short\.hcl:5:\d+: AccessLogs\.JSONFormat: invalid access log json for JSON format: unexpected end of JSON input$/m);
  });

  it('names the character after the value and the character that cannot start a key', async () => {
    const trailing = await runCli(['validate'], tempTree({ 'config-entries/p.hcl': proxy('{"a": "%START_TIME%"} }') }));
    expect(trailing.code).toBe(1);
    expect(trailing.stderr).toMatch(
      /p\.hcl:5:\d+: AccessLogs\.JSONFormat: invalid access log json for JSON format: invalid character '}' after top-level value$/m,
    );
    const quote = await runCli(['validate'], tempTree({ 'config-entries/p.hcl': proxy("{'a': 1}") }));
    expect(quote.code).toBe(1);
    expect(quote.stderr).toMatch(
      /AccessLogs\.JSONFormat: invalid access log json for JSON format: invalid character '\\'' looking for beginning of object key string$/m,
    );
  });

  it('accepts any one JSON value, white space around it included, as json.RawMessage does', async () => {
    for (const format of ['{"start": "%START_TIME%", "code": "%RESPONSE_CODE%"}', ' {"a": [1, 2.5e3, true, null]}\n', '"%START_TIME%"']) {
      const run = await runCli(['validate'], tempTree({ 'config-entries/p.hcl': proxy(format) }));
      expect(run.stderr, format).toBe('');
      expect(run.code).toBe(0);
    }
  });
});

describe('apply and the dev server', () => {
  let consul: DevServer;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await consul.close();
  });

  it('apply refuses the tree before any write', async () => {
    const run = await runCli(['apply', '--auto-approve', '--consul', consul.url], tempTree({ 'config-entries/p.hcl': proxy('{"a": 1') }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid access log json for JSON format: unexpected end of JSON input');
    expect((await fetch(`${consul.url}/v1/config/proxy-defaults/global`)).status).toBe(404);
  });

  it("the dev server refuses the same PUT with Consul's text", async () => {
    const put = await fetch(`${consul.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, JSONFormat: '{"a": 1} x' } }),
    });
    expect(put.status).toBe(500);
    expect(await put.text()).toBe("invalid access log json for JSON format: invalid character 'x' after top-level value");
  });
});
