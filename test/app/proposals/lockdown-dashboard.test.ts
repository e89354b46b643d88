// The mesh lockdown PR (gated on passthrough traffic) and the posture dashboard issue, against the
// GitHub double through the real adapters.
import { afterEach, describe, expect, it } from 'vitest';
import { MESH_OPEN, passthroughSource, permissive, report, strict, verdict, world, type World } from './support.ts';

let w: World;
afterEach(() => w?.double.close());

const ALL_STRICT = { 'config-entries/api.hcl': strict('api'), 'config-entries/web.hcl': strict('web'), 'config-entries/mesh.hcl': MESH_OPEN };

describe('the mesh lockdown PR', () => {
  it('sets both flags when no sidecar used the passthrough cluster in the window', async () => {
    w = await world(ALL_STRICT);
    const out = await w.run(report([]), { traffic: passthroughSource({ api: 0, web: 0 }) });

    expect(out.passthrough).toEqual({ meshDestinationsOnly: true, outsideMesh: [], unknown: [] });
    expect(out.actions.map((a) => [a.key, a.branch, a.kind])).toEqual([['lockdown', 'consul-gitops/mesh-lockdown/dc1', 'opened']]);
    const mesh = w.double.filesAt('consul-gitops/mesh-lockdown/dc1')['config-entries/mesh.hcl'];
    expect(mesh).toContain('AllowEnablingPermissiveMutualTLS = false');
    expect(mesh).toMatch(/MeshDestinationsOnly\s*=\s*true/);
    expect(w.double.pulls[0].title).toBe('mTLS: lock the mesh down (no permissive mode, mesh destinations only)');
  });

  it('sets only AllowEnablingPermissiveMutualTLS and lists the services still reaching outside the mesh', async () => {
    w = await world(ALL_STRICT);
    const out = await w.run(report([]), { traffic: passthroughSource({ api: 0, web: 2 }) });

    expect(out.passthrough?.outsideMesh.map((o) => o.service.name)).toEqual(['web']);
    const mesh = w.double.filesAt('consul-gitops/mesh-lockdown/dc1')['config-entries/mesh.hcl'];
    expect(mesh).toContain('AllowEnablingPermissiveMutualTLS = false');
    expect(mesh).not.toContain('MeshDestinationsOnly');
    const body = w.double.pulls[0].body;
    expect(body).toContain('| `web` |');
    expect(body).not.toContain('| `api` |');
  });

  it('a sidecar without a passthrough series is unknown, not none: MeshDestinationsOnly is held back', async () => {
    w = await world(ALL_STRICT);
    const out = await w.run(report([]), { traffic: passthroughSource({ api: 0, web: 'missing' }) });

    expect(out.passthrough?.meshDestinationsOnly).toBe(false);
    expect(out.passthrough?.unknown.length).toBeGreaterThan(0);
    expect(w.double.filesAt('consul-gitops/mesh-lockdown/dc1')['config-entries/mesh.hcl']).not.toContain('MeshDestinationsOnly');
    expect(w.double.pulls[0].body).toContain('web-0 has no passthrough');
    expect(w.double.pulls[0].body).toContain('do not cover the last');
  });

  it('is not proposed while a service is permissive in Git, and asks the stats nothing then', async () => {
    w = await world({ ...ALL_STRICT, 'config-entries/web.hcl': permissive('web') });
    const traffic = passthroughSource({});
    const out = await w.run(report([verdict('web', 'no-mtls-traffic-yet')]), { traffic });
    expect(out.actions.map((a) => a.key)).toEqual(['strict:default/default/web']);
    expect(traffic.calls).toBe(0);
  });

  it('follows the same lifecycle: unchanged on the next run (no write), upgraded once the passthrough traffic stops', async () => {
    w = await world(ALL_STRICT);
    await w.run(report([]), { traffic: passthroughSource({ web: 2 }) });
    const writes = w.writes().length;
    const same = await w.run(report([]), { traffic: passthroughSource({ web: 3 }) });
    expect(same.actions[0].kind).toBe('unchanged');
    expect(w.writes().slice(writes)).toEqual([]);

    const quiet = await w.run(report([]), { traffic: passthroughSource({ web: 0 }) });
    expect(quiet.actions[0].kind).toBe('updated');
    expect(w.double.pulls).toHaveLength(1);
    expect(w.double.filesAt('consul-gitops/mesh-lockdown/dc1')['config-entries/mesh.hcl']).toMatch(/MeshDestinationsOnly\s*=\s*true/);
  });
});

describe('the posture dashboard', () => {
  it('one issue per target, kept in place: services with verdict, reason, last plaintext and PR; mesh flags; drift', async () => {
    w = await world({ 'config-entries/api.hcl': permissive('api'), 'config-entries/web.hcl': permissive('web'), 'config-entries/mesh.hcl': MESH_OPEN });
    const first = await w.run(
      report(
        [verdict('api', 'ready-for-strict'), verdict('web', 'still-receiving-plaintext', { plaintext: 5, lastSeenAt: Date.parse('2026-11-29T08:30:00Z') })],
        [{ name: 'db', namespace: 'default', partition: 'default', repair: 'apply repairs it' }],
      ),
    );
    expect(first.dashboard).toMatchObject({ open: true });
    expect(w.double.issues).toHaveLength(1);
    const issue = w.double.issues[0];
    expect(issue.title).toBe('mTLS posture: dc1');
    const pr = w.double.pulls[0];
    expect(issue.body).toContain(
      `| \`api\` | **ready-for-strict** | no plaintext connection to api for 7d | never | https://github.example/acme/mesh-config/pull/${pr.number} |`,
    );
    expect(issue.body).toContain('| `web` | **still-receiving-plaintext** | 5 plaintext connections in the window | 2026-11-29 08:30 UTC |');
    expect(issue.body).toContain('AllowEnablingPermissiveMutualTLS: `true`');
    expect(issue.body).toContain('`default/default/db`');

    await w.run(report([verdict('api', 'ready-for-strict'), verdict('web', 'ready-for-strict')]));
    expect(w.double.issues).toHaveLength(1);
    expect(w.double.issues[0].body).toContain('| `web` | **ready-for-strict**');
    expect(w.double.unexpected).toEqual([]);
  });

  it('is closed when the mesh is fully strict and locked down', async () => {
    w = await world({ 'config-entries/api.hcl': permissive('api'), 'config-entries/mesh.hcl': MESH_OPEN });
    await w.run(report([verdict('api', 'no-mtls-traffic-yet')]));
    expect(w.double.issues[0].state).toBe('open');

    w.double.addCommit({
      'config-entries/api.hcl': strict('api'),
      'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = false\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n',
    });
    const done = await w.run(report([]));
    expect(done.dashboard).toEqual({ number: w.double.issues[0].number, open: false });
    expect(w.double.issues).toHaveLength(1);
    expect(w.double.issues[0].state).toBe('closed');
  });

  it('is not closed as fully strict when the production checklist could not be read (a permissive sidecar would be unseen)', async () => {
    w = await world({ 'config-entries/api.hcl': permissive('api'), 'config-entries/mesh.hcl': MESH_OPEN });
    await w.run(report([verdict('api', 'no-mtls-traffic-yet')]));
    w.double.addCommit({
      'config-entries/api.hcl': strict('api'),
      'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = false\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n',
    });
    const unread = await w.run(report([]), { security: { known: false, why: 'GET /v1/acl/token/self: 500 Internal Server Error' } });
    expect(unread.dashboard).toEqual({ number: w.double.issues[0].number, open: true });
    expect(w.double.issues[0].state).toBe('open');
  });
});
