// `plan --only KIND/NAME` and `apply --only KIND/NAME`: some entries only, in the whole plan's
// order, refused when the selection would break a rule another left-out change keeps.
import { describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const tree = () =>
  tempTree({
    'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
    'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
    'config-entries/api-router.hcl':
      'Kind = "service-router"\nName = "api"\nRoutes = [{ Match = { HTTP = { PathPrefix = "/v2" } }, Destination = { ServiceSubset = "" } }]\n',
  });

async function live(kind: string): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/config/${kind}`);
  return ((await res.json()) as { Name: string }[]).map((e) => e.Name).sort();
}

describe('--only KIND/NAME', () => {
  it('plan shows only the selected entries, and says the rest is left out', async () => {
    const r = await runAgainst(server.url, planCommand, ['--only', 'service-defaults/web'], tree());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('service-defaults/web');
    expect(r.stdout).not.toContain('service-defaults/api');
    expect(r.stdout).not.toContain('service-router/api');
    expect(r.stdout).toContain('1 to create');
    expect(r.stderr).toContain('note: --only restricts this plan to 1 entry (service-defaults/web); Git and Consul may still differ elsewhere');
  });

  it('apply writes only the selected entries (repeatable), in the plan order', async () => {
    const r = await runAgainst(server.url, applyCommand, ['--only', 'service-router/api', '--only', 'service-defaults/api'], tree());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply: 2 applied');
    expect(r.stdout.indexOf('create service-defaults/api')).toBeLessThan(r.stdout.indexOf('create service-router/api'));
    expect(await live('service-defaults')).toEqual(['api']);
    expect(await live('service-router')).toEqual(['api']);
  });

  it('refuses a selection that leaves out a change it depends on, naming what to add, and applies nothing', async () => {
    const r = await runAgainst(server.url, applyCommand, ['--only', 'service-router/api'], tree());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config-entries/api-router.hcl');
    expect(r.stderr).toContain('--only leaves the mesh inconsistent: service-router/api:');
    expect(r.stderr).toContain('hint: add --only service-defaults/api');
    expect(r.stderr).toContain('nothing was planned or applied');
    expect(await live('service-defaults')).toEqual([]);
    expect(await live('service-router')).toEqual([]);
  });

  it('refuses an unknown kind or an entry nobody defines, before anything is applied', async () => {
    const dir = tree();
    const kind = await runAgainst(server.url, applyCommand, ['--only', 'service-default/api'], dir);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain('--only "service-default/api": unknown kind "service-default"');
    const name = await runAgainst(server.url, applyCommand, ['--only', 'service-defaults/nope'], dir);
    expect(name.code).toBe(1);
    expect(name.stderr).toContain('--only service-defaults/nope: no file defines this entry and Consul does not hold it');
    expect(await live('service-defaults')).toEqual([]);
  });

  it('is saved with the plan: apply FILE applies only those entries, and refuses --only given again', async () => {
    const dir = tree();
    expect((await runAgainst(server.url, planCommand, ['--only', 'service-defaults/web', '--out', 'web.plan'], dir)).code).toBe(0);
    const again = await runAgainst(server.url, applyCommand, ['web.plan', '--only', 'service-defaults/api'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--only cannot be given with a saved plan');
    const r = await runAgainst(server.url, applyCommand, ['web.plan'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await live('service-defaults')).toEqual(['web']);
  });

  it('with --commit is refused: a partial apply must not be recorded as the whole commit', async () => {
    const r = await runAgainst(
      server.url,
      applyCommand,
      ['--only', 'service-defaults/web', '--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'],
      tree(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--only applies part of a commit');
    expect(await live('service-defaults')).toEqual([]);
  });
});
