// A dev server `--data` file written before []byte fields were stored as Consul stores them (stop 16)
// holds jwt-provider InlineBytes as the text it was sent (base64 of the PEM); the dev server now
// keeps base64 of that text. Version-1 files carry no mark telling the two apart (and "YWJj" is a
// valid value either way), so there is no migration: the first plan shows exactly one update of
// such an entry, one apply converges it, and the next plan is "No changes.". Pinned here so the
// README's sentence stays true. A saved plan from before is applied as it was made (its request
// bodies did not change); see the README.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWJj\n-----END CERTIFICATE-----\n';
const PEM_FILE = `Kind = "jwt-provider"
Name = "okta"
JSONWebKeySet {
  Remote {
    URI = "https://okta.example/keys"
    JWKSCluster { TLSCertificates { TrustedCA { InlineBytes = <<EOF
${PEM}EOF
    } } }
  }
}
`;

describe('a --data file from before stop 16 holding a []byte field', () => {
  it('shows one update once; one apply converges it', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'bytes-old-data-')), 'state.json');
    await server.restart({ dataFile });
    const dir = tempTree({ 'config-entries/okta.hcl': PEM_FILE });
    expect((await runCli(['apply', '--auto-approve', '--consul', server.url], dir)).code).toBe(0);

    // The file as the dev server before stop 16 wrote it: the body's string, not base64 of it.
    const sent = Buffer.from(PEM).toString('base64');
    const stored = Buffer.from(sent).toString('base64');
    const text = readFileSync(dataFile, 'utf8');
    expect(text).toContain(stored);
    writeFileSync(dataFile, text.replace(stored, sent));
    await server.restart({ dataFile });

    const first = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('~ update jwt-provider/okta');
    expect(first.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');

    expect((await runCli(['apply', '--auto-approve', '--consul', server.url], dir)).code).toBe(0);
    const after = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
  });
});
