// A key given null for a field the target's Consul version lacks (issue 11, stop 20). Consul's
// mapstructure decode lists every key it matches to no struct field as unused, whatever the value
// (decodeStructFromMap → Metadata.Unused; DecodeConfigEntry → validateUnusedKeys in
// agent/structs/config_entry.go), so a Consul 2.0 server answers a body with `"ECDHCurves": null` with
// `invalid config key`; the dev server run as 2.0.0 must too. consul-gitops itself never sends the key:
// a null sets nothing, the decoder drops it (stop 19), so the written body lacks it and that Consul
// accepts the write: validate and plan rightly say nothing of it, and apply succeeds.
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest({ consulVersion: '2.0.0' });
const put = async (body: object) => {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

describe('a null key for a field the target version lacks', () => {
  it('the dev server run as Consul 2.0.0 refuses it as an invalid config key, in the spelling given, as Consul 2.0 does', async () => {
    expect(await put({ Kind: 'mesh', TLS: { Incoming: { ECDHCurves: null } } })).toEqual({
      status: 400,
      text: 'Request decoding failed: 1 error occurred:\n\t* invalid config key "TLS.Incoming.ECDHCurves"\n\n',
    });
    const snake = await put({ Kind: 'mesh', TLS: { Outgoing: { TLSMinVersion: 'TLSv1_2', ecdh_curves: null } } });
    expect(snake.status).toBe(400);
    expect(snake.text).toContain('invalid config key "TLS.Outgoing.ecdh_curves"');
    // A null for a field 2.0.0 has is no key to refuse.
    expect(await put({ Kind: 'mesh', TLS: { Incoming: { CipherSuites: null } } })).toEqual({ status: 200, text: 'true' });
  });

  it('the dev server as the newest Consul (2.1.0) accepts it: the field exists and the null sets nothing', async () => {
    await server.restart({});
    expect(await put({ Kind: 'mesh', TLS: { Incoming: { ECDHCurves: null } } })).toEqual({ status: 200, text: 'true' });
  });

  it('a file giving it null validates without a version warning for a 2.0.0 target, and apply writes a body without it', async () => {
    const dir = tempTree({
      'consul-gitops.yaml': 'targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: 2.0.0\n',
      'config-entries/mesh.json': JSON.stringify({ Kind: 'mesh', TLS: { Incoming: { TLSMinVersion: 'TLSv1_2', ECDHCurves: null } } }),
    });
    const validate = await runCli(['validate'], dir);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/mesh/mesh`)).json()) as { TLS: unknown };
    expect(live.TLS).toEqual({ Incoming: { TLSMinVersion: 'TLSv1_2' } });
  });
});
