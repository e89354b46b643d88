// Who this process is, in terms that outlive it on this host, and whether another such process is
// dead. `serve` writes its identity into its target leases; a `serve` restarted on the same host
// (systemd, a supervisor) breaks a lease its killed predecessor left instead of waiting for it to
// expire (up to 14 minutes). A pid alone is reused (a restarted container's serve is often pid 1
// again), so a process is its pid with the kernel's start time of it, in one boot and one pid
// namespace. Anything that cannot be read (no /proc: macOS, a hardened container) says "not known
// dead": the lease is then left to expire, never broken on a guess.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ProcessIdentity } from '../app/target-lock.ts';

function readOr(read: () => string): string | undefined {
  try {
    return read().trim();
  } catch {
    return undefined;
  }
}

/** Field 22 (starttime) of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
function startTicks(pid: number | 'self'): string | undefined {
  const stat = readOr(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

const bootId = () => readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
const pidNamespace = () => readOr(() => readlinkSync('/proc/self/ns/pid'));

/** This process, or undefined where /proc cannot say (then its leases are only ever left to expire). */
export function thisProcess(): ProcessIdentity | undefined {
  const [boot, ns, ticks] = [bootId(), pidNamespace(), startTicks('self')];
  if (!boot || !ns || !ticks) return undefined;
  return { host: hostname(), boot, pidNamespace: ns, pid: process.pid, startTicks: ticks };
}

/**
 * True only when `p` is provably dead: a process of this host, boot and pid namespace whose pid is
 * gone, or now names a process started at another time. A process of another host, container or
 * boot cannot be looked at from here: false.
 */
export function isDeadHere(p: ProcessIdentity): boolean {
  const self = thisProcess();
  if (!self || p.host !== self.host || p.boot !== self.boot || p.pidNamespace !== self.pidNamespace) return false;
  if (p.pid === self.pid) return p.startTicks !== self.startTicks;
  const ticks = startTicks(p.pid);
  if (ticks === undefined) {
    try {
      process.kill(p.pid, 0);
      return false; // alive, but its start time could not be read: not known dead
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return ticks !== p.startTicks;
}
