// Sidecar ports: the range automatic port selection picks from, which host firewalls must leave open.
import type { PostureCheck } from './check.ts';
import { pass, unknownFor } from './finding.ts';

export const sidecarPorts: PostureCheck = {
  id: 'sidecar-port-range',
  title: 'sidecar port range open in host firewalls',
  checklistLine: 'Production checklist, networking: sidecar_min_port–sidecar_max_port (default 21000–21255) must be reachable between nodes',
  evaluate(f) {
    if (!f.agent.known) return unknownFor(f.agent);
    const ports = f.agent.value.sidecarPorts;
    if (!ports)
      return {
        status: 'unknown',
        evidence: 'GET /v1/agent/self has no DebugConfig.ConnectSidecarMinPort',
        fix: 'check ports.sidecar_min_port/sidecar_max_port by hand',
      };
    if (ports.min === 0 && ports.max === 0) return pass('automatic sidecar port selection is off: each sidecar registers its own port');
    return pass(`automatic sidecar ports ${ports.min}–${ports.max}`, `keep TCP ${ports.min}-${ports.max} open between nodes in host firewalls`);
  },
};
