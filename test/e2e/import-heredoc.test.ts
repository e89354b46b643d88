// import --format hcl writes a multi-line text as a heredoc that HCL1 (hashicorp/hcl v1.0.0
// scanner.go scanHeredoc) reads back unchanged: its scanner ends a `<<EOF` heredoc at the first line
// matching `[[:space:]]*EOF\z` (unanchored: any line ending with the marker), and token.go keeps
// what precedes the marker on that line as part of the text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

async function importJwt(text: string): Promise<string> {
  const body = {
    Kind: 'jwt-provider',
    Name: 'okta',
    // As consul-gitops and `consul config write` send it: base64 of the text.
    JSONWebKeySet: {
      Remote: { URI: 'https://okta.example/keys', JWKSCluster: { TLSCertificates: { TrustedCA: { InlineBytes: Buffer.from(text).toString('base64') } } } },
    },
  };
  expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
  const dir = tempTree({});
  const run = await runCli(['import', '--consul', server.url, '--format', 'hcl', '--kinds', 'jwt-provider'], dir);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return readFileSync(join(dir, 'config-entries/jwt-provider/okta.hcl'), 'utf8');
}

describe('import --format hcl, a multi-line text', () => {
  it('closes the heredoc with its marker at the start of a line (an indented marker would add the indentation to the text)', async () => {
    const file = await importJwt('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(file).toContain('InlineBytes = <<EOF\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nEOF\n');
  });

  it('picks another marker when a line of the text ends with EOF, which would end the heredoc there', async () => {
    const file = await importJwt('first line\nends with EOF\nlast\n');
    expect(file).toContain('InlineBytes = <<EOT\nfirst line\nends with EOF\nlast\nEOT\n');
  });
});
