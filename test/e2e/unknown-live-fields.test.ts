// Class 3 of issue 11: a live entry may carry fields consul-gitops does not know (a newer Consul,
// an Enterprise field). Writing the file's version would remove them: the plan says so, and apply
// refuses such an update unless --allow-field-loss is given.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerHolding } from '../support/dev-server-holding.ts';

let server: DevServer;
const OWNED = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' };

/** A dev server whose state holds `entry` as a newer Consul stored it: with a field this registry lacks. */
const serverHolding = (entry: Record<string, unknown>) => devServerHolding([entry]);

const live = { Kind: 'service-defaults', Name: 'web', Protocol: 'http', FutureKnob: { Level: 3 }, Meta: OWNED };

beforeEach(async () => {
  server = await serverHolding(live);
});
afterEach(async () => {
  await server.close();
});

const get = async () => (await (await fetch(`${server.url}/v1/config/service-defaults/web`)).json()) as Record<string, unknown>;

describe('fields a live entry has and consul-gitops does not know', () => {
  it('alone they cause no write: the file cannot speak of them', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    const plan = await runAgainst(server.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('an update that would drop them is shown as such and refused at apply; --allow-field-loss writes it', async () => {
    const dir = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n' });
    const plan = await runAgainst(server.url, planCommand, [], dir);
    expect(plan.stdout).toContain('FutureKnob: unknown to consul-gitops: would be removed (written only with --allow-field-loss)');

    const json = JSON.parse((await runAgainst(server.url, planCommand, ['--json'], dir)).stdout);
    expect(json.changes[0].lostFields).toEqual(['FutureKnob']);

    const refused = await runAgainst(server.url, applyCommand, [], dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('not written: it would remove FutureKnob (unknown to consul-gitops); --allow-field-loss writes it');
    expect(await get()).toMatchObject({ Protocol: 'http', FutureKnob: { Level: 3 } });

    const allowed = await runAgainst(server.url, applyCommand, ['--allow-field-loss'], dir);
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    const after = await get();
    expect(after.Protocol).toBe('grpc');
    expect(after).not.toHaveProperty('FutureKnob');
  });
});
