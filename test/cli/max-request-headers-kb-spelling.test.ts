// MaxRequestHeadersKB carries no alias tag in the newest Consul read (api/config_entry.go
// ServiceConfigEntry at hashicorp/consul 1fde583, api/config_entry_gateways.go APIGatewayListener at
// 95b1ec6, agent/structs/config_entry.go at 03658a0: `json:",omitempty"` only). So `consul config
// write` and the HTTP API refuse `max_request_headers_kb` as an invalid config key, and only the
// Go name (in any letter case) decodes; validate and the dev server say the same.
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SNAKE = {
  'web.hcl': 'Kind = "service-defaults"\nName = "web"\nmax_request_headers_kb = 96\n',
  'gw.hcl': 'Kind = "api-gateway"\nName = "gw"\nListeners = [\n  { Name = "http", Port = 8080, Protocol = "http", max_request_headers_kb = 96 },\n]\n',
};

describe('max_request_headers_kb is not a Consul spelling', () => {
  it('validate refuses it on service-defaults and on an api-gateway listener, naming file, line and key', async () => {
    const run = await runCli(['validate', '.'], tempTree(SNAKE));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('web.hcl:3:1: max_request_headers_kb: invalid config key "max_request_headers_kb"');
    expect(run.stderr).toContain('gw.hcl:4:52: Listeners[0].max_request_headers_kb: invalid config key "Listeners[0].max_request_headers_kb"');
  });

  it('the Go name decodes, in CamelCase or lower case', async () => {
    const run = await runCli(
      ['render', '--json', '.'],
      tempTree({
        'a.hcl': 'Kind = "service-defaults"\nName = "a"\nMaxRequestHeadersKB = 96\n',
        'b.hcl': 'Kind = "service-defaults"\nName = "b"\nmaxrequestheaderskb = 64\n',
      }),
    );
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as { MaxRequestHeadersKB: number }[]).map((e) => e.MaxRequestHeadersKB)).toEqual([96, 64]);
  });

  it('the dev server refuses the snake_case key in a PUT body, as the HTTP API does', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'service-defaults', Name: 'web', max_request_headers_kb: 96 }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid config key "max_request_headers_kb"');
  });
});
