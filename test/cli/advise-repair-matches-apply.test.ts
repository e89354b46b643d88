// What `advise` says repairs a drifted service is what `apply` does: for each (Git, Consul, ownership
// marker) case, the flags the hint names are run through `apply` against a fresh dev server, and the
// service is no longer permissive there; every smaller set of flags (in the hint's order: --adopt
// before --prune) leaves it permissive. A service advise judges instead (no apply repairs it) stays
// permissive after `apply --adopt --prune`. If the advisor's reading of the planner and the planner
// ever disagreed, a row here fails.
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';

type Owner = 'ours' | 'unowned' | 'foreign' | 'external';
type Mode = 'strict' | 'permissive' | 'unset';
interface Side {
  git?: Mode;
  live?: { mode: Mode; owner: Owner };
}
interface Case {
  name: string;
  sd: Side;
  pd: Side;
  /** What advise says: the drift hint's command, or `judged` when no apply makes the service strict. */
  expected: string;
}

const FLAG_ORDER = [[], ['--adopt'], ['--prune'], ['--adopt', '--prune']];

const meta = (owner: Owner, file: string): Record<string, string> => {
  if (owner === 'ours') return { 'managed-by': 'consul-gitops', 'consul-gitops/source': file };
  if (owner === 'foreign') return { 'managed-by': 'terraform' };
  if (owner === 'external') return { 'external-source': 'kubernetes' };
  return {};
};
const modeLine = (m: Mode) => (m === 'unset' ? '' : `MutualTLSMode = "${m}"\n`);
const SD_FILE = 'config-entries/api.hcl';
const PD_FILE = 'config-entries/proxy-defaults.hcl';
const MESH_FILE = 'config-entries/mesh.hcl';

function tree(c: Case): Record<string, string> {
  return {
    [MESH_FILE]: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
    ...(c.sd.git ? { [SD_FILE]: `Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n${modeLine(c.sd.git)}` } : {}),
    ...(c.pd.git ? { [PD_FILE]: `Kind = "proxy-defaults"\nName = "global"\n${modeLine(c.pd.git)}` } : {}),
  };
}

async function put(server: DevServer, body: Record<string, unknown>): Promise<void> {
  expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}

/** A dev server holding the case's live entries, the mesh as apply left it, and a sidecar for api. */
async function seeded(c: Case): Promise<DevServer> {
  const server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await put(server, { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: meta('ours', MESH_FILE) });
  const mode = (m: Mode) => (m === 'unset' ? {} : { MutualTLSMode: m });
  if (c.pd.live) await put(server, { Kind: 'proxy-defaults', Name: 'global', ...mode(c.pd.live.mode), Meta: meta(c.pd.live.owner, PD_FILE) });
  if (c.sd.live) await put(server, { Kind: 'service-defaults', Name: 'api', Protocol: 'http', ...mode(c.sd.live.mode), Meta: meta(c.sd.live.owner, SD_FILE) });
  await registerSidecar(server.url, 'api');
  return server;
}

/** api's effective MutualTLSMode as Consul resolves it: service-defaults, else proxy-defaults, else strict. */
async function effectiveMode(server: DevServer): Promise<string> {
  const modeOf = async (path: string) => {
    const res = await fetch(`${server.url}/v1/config/${path}`);
    return res.status === 200 ? (((await res.json()) as { MutualTLSMode?: string }).MutualTLSMode ?? '') : '';
  };
  return (await modeOf('service-defaults/api')) || (await modeOf('proxy-defaults/global')) || 'strict';
}

/** What advise says about api: its drift hint's command (`apply --adopt`), or `judged`. */
async function adviseSays(c: Case): Promise<{ said: string; repair?: string }> {
  const server = await seeded(c);
  try {
    const run = await runAdvise(server.url, ['--json'], { cwd: tempTree(tree(c)) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { drift: { service: string; repair: string }[]; services: { service: string }[] };
    const drift = json.drift.find((d) => d.service === 'api');
    if (drift) return { said: /^(apply(?: --adopt)?(?: --prune)?) repairs it/.exec(drift.repair)?.[1] ?? drift.repair, repair: drift.repair };
    expect(json.services.map((s) => s.service)).toContain('api');
    return { said: 'judged' };
  } finally {
    await server.close();
  }
}

/** api's effective mode after `apply` with `flags` on a fresh copy of the case's Consul. */
async function modeAfterApply(c: Case, flags: string[]): Promise<string> {
  const server = await seeded(c);
  try {
    const run = await runAgainst(server.url, applyCommand, ['--auto-approve', ...flags], tempTree(tree(c)));
    expect(run.stderr).not.toContain('refusing');
    return await effectiveMode(server);
  } finally {
    await server.close();
  }
}

const ours = (mode: Mode) => ({ mode, owner: 'ours' as const });
const CASES: Case[] = [
  { name: 'service-defaults hand-edited, ours', sd: { git: 'strict', live: ours('permissive') }, pd: {}, expected: 'apply' },
  { name: 'service-defaults without the marker', sd: { git: 'strict', live: { mode: 'permissive', owner: 'unowned' } }, pd: {}, expected: 'apply --adopt' },
  { name: 'service-defaults managed by terraform', sd: { git: 'strict', live: { mode: 'permissive', owner: 'foreign' } }, pd: {}, expected: 'apply --adopt' },
  { name: 'service-defaults ours, its file gone', sd: { live: ours('permissive') }, pd: {}, expected: 'apply --prune' },
  { name: 'proxy-defaults without the marker', sd: {}, pd: { git: 'strict', live: { mode: 'permissive', owner: 'unowned' } }, expected: 'apply --adopt' },
  { name: 'proxy-defaults ours, its file gone', sd: {}, pd: { live: ours('permissive') }, expected: 'apply --prune' },
  {
    name: 'service-defaults ours with its file gone, proxy-defaults without the marker',
    sd: { live: ours('permissive') },
    pd: { git: 'strict', live: { mode: 'permissive', owner: 'unowned' } },
    expected: 'apply --adopt --prune',
  },
  {
    name: 'service-defaults inheriting, proxy-defaults ours and strict',
    sd: { git: 'unset', live: ours('permissive') },
    pd: { git: 'strict', live: ours('strict') },
    expected: 'apply',
  },
  {
    name: 'service-defaults without the marker over a permissive proxy-defaults of ours',
    sd: { git: 'strict', live: { mode: 'permissive', owner: 'unowned' } },
    pd: { git: 'permissive', live: ours('permissive') },
    expected: 'apply --adopt',
  },
  { name: 'service-defaults consul-k8s owns', sd: { git: 'strict', live: { mode: 'permissive', owner: 'external' } }, pd: {}, expected: 'judged' },
  { name: 'service-defaults without the marker and in no file', sd: { live: { mode: 'permissive', owner: 'unowned' } }, pd: {}, expected: 'judged' },
  { name: 'service-defaults managed by terraform and in no file', sd: { live: { mode: 'permissive', owner: 'foreign' } }, pd: {}, expected: 'judged' },
];

describe('advise names the apply that repairs a drifted service, as apply does it', () => {
  it.each(CASES)('$name: $expected', async (c) => {
    const { said } = await adviseSays(c);
    expect(said).toBe(c.expected);
    if (said === 'judged') {
      expect(await modeAfterApply(c, ['--adopt', '--prune'])).toBe('permissive');
      return;
    }
    const hinted = said.split(' ').slice(1);
    const at = FLAG_ORDER.findIndex((f) => f.join(' ') === hinted.join(' '));
    for (const flags of FLAG_ORDER.slice(0, at)) expect({ flags, mode: await modeAfterApply(c, flags) }).toEqual({ flags, mode: 'permissive' });
    expect(await modeAfterApply(c, hinted)).not.toBe('permissive');
  });
});
