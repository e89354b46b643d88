// "changed outside consul-gitops" follows what consul-gitops itself wrote, through the CLI against
// the dev server: an entry it applied and someone deleted by hand is labelled (and the drift issue
// says so in the same words); an apply that failed midway records the entries it did write, so the
// next plan does not take our own writes for drift, while a later change by hand still is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../../src/adapters/consul/stores.ts';
import { detectDrift } from '../../src/app/detect-drift.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { DRIFT_JOB, recordingDeps, target } from '../support/recording-deps.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
let proxy: ConsulProxy | undefined;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
  proxy = undefined;
});
afterEach(async () => {
  await proxy?.close();
  await server.close();
});

const defaults = (name: string, extra = '') => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\n${extra}`;
const apply = (url: string, dir: string, commit: string, time: string) =>
  runCli(['apply', '--consul', url, '--prune', '--commit', commit.repeat(40), '--commit-time', time], dir);
const plan = (dir: string) => runCli(['plan', '--consul', server.url, '--prune'], dir);
const live = async (name: string) => (await (await fetch(`${server.url}/v1/config/service-defaults/${name}`)).json()) as Record<string, unknown>;

describe('an entry consul-gitops applied, deleted by hand', () => {
  it('is labelled changed outside consul-gitops in plan and in the drift issue', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api'), 'config-entries/web.hcl': defaults('web') });
    expect((await apply(server.url, dir, 'a', '2026-11-25T10:00:00Z')).code).toBe(0);
    expect((await fetch(`${server.url}/v1/config/service-defaults/web`, { method: 'DELETE' })).status).toBe(200);

    const out = (await plan(dir)).stdout;
    expect(out).toContain('Note: 1 entry was changed outside consul-gitops since the last apply; this plan puts it back as the files say.');
    expect(out).toMatch(/\+ create service-defaults\/web {2}\(config-entries\/web\.hcl:1\) {2}\[changed outside consul-gitops\]/);
    expect(out).not.toMatch(/service-defaults\/api.*changed outside/);
    const json = JSON.parse((await runCli(['plan', '--consul', server.url, '--prune', '--json'], dir)).stdout) as {
      changes: { action: string; id: { name: string }; changedOutside: boolean; reason: string }[];
    };
    expect(json.changes.find((c) => c.id.name === 'web')).toMatchObject({
      action: 'create',
      changedOutside: true,
      reason: 'deleted outside consul-gitops since the last apply',
    });

    // The schedule's drift issue, in the same words.
    const consul = new ConsulClient({ address: server.url });
    const { deps, issues } = recordingDeps({
      files: [
        { path: 'config-entries/api.hcl', text: defaults('api') },
        { path: 'config-entries/web.hcl', text: defaults('web') },
      ],
      store: new ConsulConfigEntryStore(consul),
      state: new ConsulKvStateStore(consul),
      commitTime: '2026-11-25T10:00:00Z',
    });
    try {
      expect((await detectDrift(deps, target('default', true), { ...DRIFT_JOB, selfHeal: false })).kind).toBe('drift');
    } finally {
      await consul.close();
    }
    expect(issues.at(-1)!.body).toContain('> 1 entry was changed outside consul-gitops since the last apply; this plan puts it back as the files say.');
    expect(issues.at(-1)!.body).toContain(
      'create <code>service-defaults/web</code> (config-entries/web.hcl:1) — <strong>changed outside consul-gitops</strong>',
    );
  });

  it('an entry never applied by consul-gitops and missing is a plain create', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': defaults('api') });
    expect((await apply(server.url, dir, 'a', '2026-11-25T10:00:00Z')).code).toBe(0);
    writeFileSync(join(dir, 'config-entries/web.hcl'), defaults('web'));
    const out = (await plan(dir)).stdout;
    expect(out).toContain('+ create service-defaults/web');
    expect(out).not.toContain('changed outside');
  });
});

describe('an apply that fails midway', () => {
  const intentions = (...sources: string[]) =>
    `Kind = "service-intentions"\nName = "web"\nSources = [${sources.map((n) => `{ Name = "${n}", Action = "allow" }`).join(', ')}]\n`;

  it('records what it wrote: the next plan does not call our writes changed outside; a later hand edit still is', async () => {
    const dir = tempTree({
      'config-entries/api.hcl': defaults('api'),
      'config-entries/web.hcl': defaults('web'),
      'config-entries/web-intentions.hcl': intentions('api'),
    });
    expect((await apply(server.url, dir, 'a', '2026-11-25T10:00:00Z')).code).toBe(0);

    // Commit b changes api, then (a later wave) the intentions, whose write Consul refuses: the dev
    // server's fault injection, armed as that very request passes the proxy.
    writeFileSync(join(dir, 'config-entries/api.hcl'), defaults('api', 'MaxInboundConnections = 10\n'));
    writeFileSync(join(dir, 'config-entries/web-intentions.hcl'), intentions('api', 'admin'));
    proxy = await startConsulProxy(server.url, (req, body) => {
      if (req.method === 'PUT' && req.url?.startsWith('/v1/config') && body.includes('"Kind":"service-intentions"'))
        server.faults.failNext(1, { status: 400, body: 'Invalid config entry: injected fault' });
      return 'forward';
    });
    const partial = await apply(proxy.url, dir, 'b', '2026-11-25T11:00:00Z');
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('✓ update service-defaults/api');
    expect(partial.stdout).toContain('Apply: 1 applied, 1 failed');
    expect(await live('api')).toMatchObject({ MaxInboundConnections: 10 });

    // Commit c changes api again: its update is ours to make, not drift; so is the intentions' retry.
    writeFileSync(join(dir, 'config-entries/api.hcl'), defaults('api', 'MaxInboundConnections = 20\n'));
    const next = (await plan(dir)).stdout;
    expect(next).toMatch(/~ update service-defaults\/api {2}\(config-entries\/api\.hcl:1\)\n/);
    expect(next).toMatch(/~ update service-intentions\/web {2}\(config-entries\/web-intentions\.hcl:1\)\n/);
    expect(next).not.toContain('changed outside');

    // Someone edits api by hand after the failed apply: that is drift, and named.
    const api = await live('api');
    expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ ...api, MaxInboundConnections: 99 }) })).text()).toBe('true');
    const after = (await plan(dir)).stdout;
    expect(after).toMatch(/~ update service-defaults\/api {2}\(config-entries\/api\.hcl:1\) {2}\[changed outside consul-gitops\]/);
    expect(after).not.toMatch(/service-intentions\/web.*changed outside/);
  });
});
