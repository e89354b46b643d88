// The advisor's part of `npm start`: simulated sidecars on loopback for the demo's two permissive
// services (api still receives plaintext, billing's stopped), polled a few times on a simulated
// clock with the history in the dev server's KV, the advice table, then the proposal the advisor
// would make for the ready service: the one-line diff and the pull request's body, without GitHub.
import { resolve } from 'node:path';
import { ConsulClient } from '../adapters/consul/client.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { repositoryRelative } from '../adapters/files/repo-root.ts';
import { adviseStrict } from '../app/advise.ts';
import { strictDrafts } from '../app/write-proposal-branches.ts';
import { DEFAULT_THRESHOLDS } from '../core/advisor/model.ts';
import { formatConfigEntryError } from '../model/errors.ts';
import { renderAdviceText } from '../reports/advice-text.ts';
import { changeDiff } from '../reports/change-diff.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SidecarScript } from '../dev-server/simulated-sidecars.ts';
import { createTrafficSource } from '../runtime/traffic-source.ts';
import { consulConnectCatalog } from './advise-command.ts';
import type { CliIo } from './io.ts';

const MINUTE = 60_000;
const WINDOW_MS = 3 * MINUTE;
/** Scheduled runs, in simulated minutes after the sidecars started: the last one judges. */
const POLLS = [0, 1, 3, 5];

/** The demo's traffic: consul-dataplane sidecars as consul-k8s registers them. */
export const DEMO_SIDECARS: SidecarScript[] = [
  // api: the legacy batch jobs outside the mesh still call it in plaintext (config-entries/service-defaults/api.hcl).
  { service: 'api', instance: 'api-6f7c9d-x2k4p', protocol: 'http', plaintext: { connectionsPerSecond: 1 }, mtls: { handshakesPerSecond: 4 } },
  // billing: its last plaintext caller moved into the mesh half a minute in; mTLS keeps flowing.
  {
    service: 'billing',
    instance: 'billing-84b5c-q7m2w',
    protocol: 'http',
    plaintext: { connectionsPerSecond: 2, stopsAfterMs: 30_000 },
    mtls: { handshakesPerSecond: 2 },
  },
];

export async function demoAdvisor(consulUrl: string, dir: string, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const start = Math.floor(Date.now() / MINUTE) * MINUTE;
  let clock = start;
  const sidecars = await startSimulatedSidecars(DEMO_SIDECARS, { now: () => clock });
  const consul = new ConsulClient({ address: consulUrl });
  try {
    await registerSimulatedSidecars(consulUrl, sidecars.sidecars);
    io.stdout.write(
      `Simulated sidecars on loopback: ${sidecars.sidecars.map((s) => `${s.script.service} (127.0.0.1:${s.port})`).join(', ')}.\n` +
        `The advisor reads them ${POLLS.length} times, one simulated minute or two apart (the schedule's polls), keeping the samples in the dev server's KV, ` +
        `and judges the last ${WINDOW_MS / MINUTE} minutes.\n\n`,
    );
    const { files, unreadable } = await readLocalFiles([dir], cwd);
    if (unreadable.length) {
      for (const u of unreadable) io.stderr.write(`${u.path}: ${u.message}\n`);
      return 1;
    }
    const traffic = createTrafficSource({
      flag: 'envoy',
      consul,
      state: new ConsulKvStateStore(consul),
      stateKeyPrefix: 'consul-gitops/state',
      target: 'default',
      env: {},
    });
    const ports = { entries: new ConsulConfigEntryStore(consul), catalog: consulConnectCatalog(consul), traffic };
    const options = { thresholds: { ...DEFAULT_THRESHOLDS, windowMs: WINDOW_MS }, expectNoInboundTraffic: [] };
    let outcome: Awaited<ReturnType<typeof adviseStrict>> | undefined;
    for (const minute of POLLS) {
      clock = start + minute * MINUTE;
      outcome = await adviseStrict(repositoryRelative(files, cwd), ports, { ...options, now: clock });
      if (!outcome.ok) {
        for (const e of outcome.errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
        return 1;
      }
    }
    if (!outcome?.ok) return 1;
    io.stdout.write(`$ consul-gitops advise --stats envoy --window 3m\n\n${renderAdviceText(outcome.report)}`);

    // The proposal reads the tree relative to the directory, as `advise --write-branch` commits it.
    const tree = await readLocalFiles(['.'], resolve(cwd, dir));
    const drafts = strictDrafts(tree.files, outcome.report);
    for (const d of drafts) {
      io.stdout.write(`\n=== 6. the proposal for ${d.service.name} (what --write-branch commits, or --open-prs opens as a pull request)\n\n`);
      if (!d.outcome.ok) {
        io.stdout.write(`nothing proposed: ${d.outcome.reason}\n`);
        continue;
      }
      const { branch, title, body, changes } = d.outcome.draft;
      io.stdout.write(
        `branch: ${branch}\ntitle:  ${title}\n\n${changes.map((c) => changeDiff({ ...c, path: `${dir}/${c.path}` })).join('\n')}\n\n--- pull request body ---\n${body}`,
      );
    }
    return 0;
  } finally {
    await consul.close();
    await sidecars.close();
  }
}
