// mesh TLS `ECDHCurves` (issue 11, stop 19): the newest Consul's MeshDirectionalTLSConfig.ECDHCurves
// (agent/structs/config_entry_mesh.go at hashicorp/consul 03658a0, alias `ecdh_curves`), checked by
// validateECDHCurves with types/tls.go's texts (ValidateTLSVersionECDHCurvesCompat, then
// ValidateEnvoyECDHCurves), each wrapped in MeshConfigEntry.Validate's direction prefix. Its release is
// not known: FIELD_SINCE dates it at the newest modelled version, so an older target is warned.
import { describe, expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { targetsYaml } from '../support/consul-version-examples.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerFile();
const { put } = server;

const MESH = (incoming: string, outgoing = '') => `Kind = "mesh"
TLS {
  Incoming { ${incoming} }
${outgoing ? `  Outgoing { ${outgoing} }\n` : ''}}
`;

describe('mesh TLS ECDHCurves, as the newest Consul checks them', () => {
  it('apply writes the curves (both spellings decode), GET answers them, and the next plan is empty', async () => {
    const dir = tempTree({
      'config-entries/mesh.hcl': MESH('TLSMinVersion = "TLSv1_3"\n    ECDHCurves = ["X25519MLKEM768", "X25519"]', 'ecdh_curves = ["P-256"]'),
    });
    const apply = await runCli(['apply', '--auto-approve', '--adopt', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/mesh/mesh`)).json()) as { TLS: unknown };
    expect(live.TLS).toEqual({ Incoming: { TLSMinVersion: 'TLSv1_3', ECDHCurves: ['X25519MLKEM768', 'X25519'] }, Outgoing: { ECDHCurves: ['P-256'] } });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    expect((await fetch(`${server.url}/v1/config/mesh/mesh`, { method: 'DELETE' })).status).toBe(200);
  });

  it('curves under a TLS 1.0 or 1.1 minimum are refused by validate and by Consul, in types/tls.go’s words', async () => {
    const dir = tempTree({ 'config-entries/mesh.hcl': MESH('TLSMinVersion = "TLSv1_1"\n    ECDHCurves = ["X25519"]') });
    const validate = await runCli(['validate'], dir);
    const text =
      "error in incoming TLS configuration: ecdh_curves can only be configured when tls_min_version is 'TLSv1_2' or higher, TLSMinVersion is set to TLSv1_1";
    expect(validate.stderr).toContain(`TLS.Incoming.ECDHCurves: ${text}`);
    expect(validate.code).toBe(1);
    expect(await put({ Kind: 'mesh', TLS: { Incoming: { TLSMinVersion: 'TLSv1_1', ECDHCurves: ['X25519'] } } })).toBe(text);
  });

  it('a curve Envoy does not know is refused with the sorted list of those it does', async () => {
    const dir = tempTree({ 'config-entries/mesh.hcl': MESH('TLSMinVersion = "TLSv1_2"', 'ECDHCurves = ["X25519", "X448"]') });
    const validate = await runCli(['validate'], dir);
    const text = 'error in outgoing TLS configuration: unsupported ecdh_curve "X448"; must be one of [P-256, P-384, P-521, X25519, X25519MLKEM768]';
    expect(validate.stderr).toContain(`TLS.Outgoing.ECDHCurves: ${text}`);
    expect(validate.code).toBe(1);
    expect(await put({ Kind: 'mesh', TLS: { Outgoing: { ECDHCurves: ['X25519', 'X448'] } } })).toBe(text);
  });

  it("validate warns when the target's Consul is older than the newest modelled, which alone is known to have the field", async () => {
    const dir = tempTree({ 'consul-gitops.yaml': targetsYaml('2.0.0'), 'config-entries/mesh.hcl': MESH('ECDHCurves = ["X25519"]') });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('TLS.Incoming.ECDHCurves: Consul 2.0.0 (target "prod") does not know this field, added in Consul 2.1.0');
  });
});
