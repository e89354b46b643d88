// `consul-gitops plan` through the CLI's main() against the dev server, when Consul differs from
// Git only where no apply writes: an entry consul-k8s owns (`external-source`) that differs from its
// file, and an entry consul-gitops applied whose file is gone while pruning is off. The terminal
// plan must not say "Consul matches the files", `--json` must not claim sync, and
// `--detailed-exitcode` must not exit 0 (it exits 3: nothing apply can make, yet not in sync).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await server.close();
});

const schema = z.fromJSONSchema(JSON.parse(readFileSync(new URL('../../docs/plan-schema.json', import.meta.url), 'utf8')));

async function put(entry: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(await res.text()).toBe('true');
}

const API_STRICT = { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n' };
const OURS = (source: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': source });
const plan = (dir: string, ...extra: string[]) => runCli(['plan', '--consul', server.url, ...extra], dir);

async function k8sOwnedPermissiveApi(): Promise<void> {
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  // consul-k8s wrote api permissive from a Kubernetes CRD; Git says strict.
  await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: { 'external-source': 'kubernetes' } });
}

describe('plan when Consul differs from Git only where apply does not write', () => {
  it('an entry consul-k8s owns that differs from its file: not "no changes", exit 3, JSON not in sync', async () => {
    await k8sOwnedPermissiveApi();
    const dir = tempTree({ ...API_STRICT, 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' });
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS('config-entries/mesh.hcl') });

    const text = await plan(dir, '--detailed-exitcode');
    expect(text.stdout).not.toContain('Consul matches the files');
    expect(text.stdout).toContain('No changes consul-gitops can make, but 1 entry differs from Git that consul-gitops does not write (see Left alone).');
    expect(text.stdout).toContain('service-defaults/api');
    expect(text.code).toBe(3);

    const json = await plan(dir, '--json', '--detailed-exitcode');
    expect(json.code).toBe(3);
    const doc = JSON.parse(json.stdout);
    expect(schema.safeParse(doc).success).toBe(true);
    expect(doc.summary).toMatchObject({ create: 0, update: 0, delete: 0, unwritten: 1, matchesGit: false });

    // Without the flag the exit code keeps its meaning: 0 is "the plan ran".
    expect((await plan(dir)).code).toBe(0);
  });

  it('an entry consul-gitops applied whose file is gone, pruning off: not "no changes", exit 3', async () => {
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', Meta: OURS('config-entries/api.hcl') });
    await put({ Kind: 'service-defaults', Name: 'old', Protocol: 'tcp', Meta: OURS('config-entries/old.hcl') });
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });

    const text = await plan(dir, '--detailed-exitcode');
    expect(text.stdout).not.toContain('Consul matches the files');
    expect(text.stdout).toContain('No changes consul-gitops can make, but 1 entry differs from Git');
    expect(text.stdout).toMatch(/skip service-defaults\/old: no file defines it; pruning is off/);
    expect(text.code).toBe(3);

    // With --prune the same tree is a change apply makes: 2, as before.
    const pruned = await plan(dir, '--prune', '--detailed-exitcode');
    expect(pruned.code).toBe(2);
    expect(pruned.stdout).not.toContain('does not write');
  });

  it('changes and an unwritten difference together: exit 2, and the closing lines name both', async () => {
    await k8sOwnedPermissiveApi();
    const dir = tempTree({ ...API_STRICT, 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    const run = await plan(dir, '--detailed-exitcode');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
    expect(run.stdout).toContain('Also 1 entry differs from Git that consul-gitops does not write (see Left alone).');
    const doc = JSON.parse((await plan(dir, '--json')).stdout);
    expect(doc.summary).toMatchObject({ unwritten: 1, matchesGit: false });
  });

  it('a Consul that matches Git: "Consul matches the files", exit 0, matchesGit true', async () => {
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', Meta: OURS('config-entries/api.hcl') });
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' });
    const run = await plan(dir, '--detailed-exitcode');
    expect(run.stdout).toContain('No changes. Consul matches the files.');
    expect(run.code).toBe(0);
    const doc = JSON.parse((await plan(dir, '--json', '--detailed-exitcode')).stdout);
    expect(doc.summary).toMatchObject({ unwritten: 0, matchesGit: true });
  });
});
