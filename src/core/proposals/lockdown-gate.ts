// Whether the mesh lockdown may be proposed, as Consul will be after an apply rather than as Git
// alone says: a service permissive through an entry consul-gitops does not write (consul-k8s's
// `external-source`, or one not managed) stays permissive whatever Git says, so locking the mesh
// down would leave it permissive under a mesh entry that claims permissive mode is over. So does a
// sidecar registered permissive on its own.
import type { AdviceReport } from '../advisor/model.ts';
import type { GitPosture } from './git-posture.ts';
import { scopedServiceName } from '../advisor/service-scope.ts';
import { unlistedDatacenterText } from '../advisor/unlisted.ts';

const SHOWN = 10;

/**
 * Why the lockdown is held back although Git has no permissive service left, or undefined. The
 * advisor judges every service permissive as Git will leave it (judged-services.ts, which keeps
 * live entries no apply writes); with Git itself strict, each judged one is permissive in Consul
 * through such an entry.
 */
export function lockdownHeldBack(posture: GitPosture, report: AdviceReport): string | undefined {
  if (posture.anyPermissive) return undefined;
  // A sidecar registered with its own Proxy.MutualTLSMode = "permissive" wins over every config
  // entry and is outside Git: a lockdown would claim permissive mode is over while it still is.
  const sidecars = report.permissiveSidecars ?? [];
  if (sidecars.length) {
    const shown = sidecars.slice(0, SHOWN).join(', ') + (sidecars.length > SHOWN ? `, … and ${sidecars.length - SHOWN} more` : '');
    return (
      `the mesh lockdown is held back: ${sidecars.length} sidecar ${sidecars.length === 1 ? 'registration sets its' : 'registrations set their'} own Proxy.MutualTLSMode = "permissive" (${shown}), ` +
      `which ${sidecars.length === 1 ? 'wins' : 'win'} over every config entry. Re-register ${sidecars.length === 1 ? 'it' : 'them'} without it first.`
    );
  }
  const elsewhere = otherDatacentersHoldBack(report);
  if (elsewhere) return elsewhere;
  // A datacenter whose services could not be listed may hold one permissive through an entry no apply
  // writes; so may any datacenter when the datacenters list itself could not be read (every Consul
  // answers it, with no ACL: a failure there means other datacenters cannot be ruled out).
  const unlisted = report.unlistedDatacenters?.[0];
  if (unlisted) return `the mesh lockdown is held back: ${unlistedDatacenterText(unlisted)}`;
  const outside = outsideHoldsBack(report);
  if (outside) return outside;
  if (report.services.length === 0) return driftHoldsBack(report);
  const n = report.services.length;
  const names = report.services.slice(0, SHOWN).map((v) => `${scopedServiceName(v.service)} (${v.verdict})`);
  const more = n > SHOWN ? `, … and ${n - SHOWN} more` : '';
  return (
    `the mesh lockdown is held back: ${n} ${n === 1 ? 'service stays' : 'services stay'} permissive in Consul through entries consul-gitops does not write ` +
    `(managed by consul-k8s via external-source, or not managed): ${names.join(', ')}${more}. Make ${n === 1 ? 'it' : 'them'} strict where ${n === 1 ? 'it is' : 'they are'} managed first.`
  );
}

/**
 * A service strict in Git but permissive in Consul through an entry the reconcile's apply leaves as
 * it is (no ownership marker: `--adopt`; its file gone: `--prune`): merging the lockdown would not
 * make it strict. One a plain apply repairs is put right by the apply that merge brings.
 */
function driftHoldsBack(report: AdviceReport): string | undefined {
  const unrepaired = report.drift.filter((d) => d.repairNeeds?.length);
  const n = unrepaired.length;
  if (n === 0) return undefined;
  const names = unrepaired.slice(0, SHOWN).map((d) => `${scopedServiceName(d)} (${d.repair})`);
  const more = n > SHOWN ? `, … and ${n - SHOWN} more` : '';
  return (
    `the mesh lockdown is held back: ${n} ${n === 1 ? 'service stays' : 'services stay'} permissive in Consul after apply, which does not repair ` +
    `${n === 1 ? 'its' : 'their'} drift without a flag: ${names.join(', ')}${more}`
  );
}

/**
 * The mesh entry replicates to every WAN-federated datacenter: a sidecar registered permissive in
 * one keeps taking plaintext under a lockdown that claims permissive mode is over, and a datacenter
 * that could not be read might hold one.
 */
function otherDatacentersHoldBack(report: AdviceReport): string | undefined {
  for (const dc of report.otherDatacenters ?? []) {
    if ('unreadable' in dc)
      return `the mesh lockdown is held back: datacenter ${dc.datacenter} is WAN-federated with this one (the mesh entry replicates there) and could not be read, so a sidecar registered permissive there cannot be ruled out: ${dc.unreadable}`;
    const m = dc.permissiveSidecars.length;
    if (m === 0) continue;
    const shown = dc.permissiveSidecars.slice(0, SHOWN).join(', ') + (m > SHOWN ? `, … and ${m - SHOWN} more` : '');
    return (
      `the mesh lockdown is held back: ${m} sidecar ${m === 1 ? 'registration' : 'registrations'} in datacenter ${dc.datacenter} ` +
      `${m === 1 ? 'sets its' : 'set their'} own Proxy.MutualTLSMode = "permissive" (${shown}), which ${m === 1 ? 'wins' : 'win'} over every config entry. ` +
      `The mesh entry replicates to every WAN-federated datacenter: re-register ${m === 1 ? 'it' : 'them'} without it first.`
    );
  }
  return undefined;
}

/**
 * The mesh entry is one per partition: a service permissive in a namespace this target does not
 * manage (Enterprise) keeps taking plaintext under a lockdown that claims permissive mode is over,
 * and one that could not be read might.
 */
function outsideHoldsBack(report: AdviceReport): string | undefined {
  const outside = report.outsideTarget;
  if (!outside) return undefined;
  if (outside.unreadable)
    return `the mesh lockdown is held back: it could not see the rest of the mesh: the namespaces this target does not manage could not be read${outside.permission ? ` (needs ${outside.permission})` : ''}, and the mesh entry covers them too: ${outside.unreadable}`;
  // A sidecar's own Proxy.MutualTLSMode wins over every config entry, there as here.
  const sidecars = outside.sidecars ?? [];
  if (sidecars.length) {
    const m = sidecars.length;
    const shown = sidecars.slice(0, SHOWN).map((s) => `${scopedServiceName(s)} (not managed by this target)`);
    return (
      `the mesh lockdown is held back: ${m} sidecar ${m === 1 ? 'registration' : 'registrations'} in a namespace this target does not manage ` +
      `${m === 1 ? 'sets its' : 'set their'} own Proxy.MutualTLSMode = "permissive" (${shown.join(', ')}${m > SHOWN ? `, … and ${m - SHOWN} more` : ''}), ` +
      `which ${m === 1 ? 'wins' : 'win'} over every config entry. The mesh entry covers every namespace of the partition: re-register ${m === 1 ? 'it' : 'them'} without it first.`
    );
  }
  const n = outside.permissive.length;
  if (n === 0) return undefined;
  // Marked as `audit` marks them: the service is another team's (or nobody's), not this target's to fix.
  const names = outside.permissive.slice(0, SHOWN).map((s) => `${scopedServiceName(s)} (not managed by this target)`);
  const more = n > SHOWN ? `, … and ${n - SHOWN} more` : '';
  return (
    `the mesh lockdown is held back: ${n} ${n === 1 ? 'service' : 'services'} in a namespace this target does not manage ${n === 1 ? 'is' : 'are'} ` +
    `permissive in Consul: ${names.join(', ')}${more}. The mesh entry covers every namespace of the partition: make ${n === 1 ? 'it' : 'them'} strict first.`
  );
}
