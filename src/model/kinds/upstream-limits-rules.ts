// PassiveHealthCheck.Validate and UpstreamLimits.Validate (agent/structs/config_entry.go), the bounds
// every place of the two structs is held to: service-defaults' upstream overrides, defaults and their
// Limits, api-gateway Defaults, and route services' Limits. Bounds and texts as at hashicorp/consul
// 03658a0 (2026), which adds the 2.0 counters' bounds and validates Limits.PassiveHealthCheck.
// Here, beside the registry, so the route kinds' validate and the write checks share one copy.
import type { EntryProblem } from '../kind-definition.ts';

const leaf = (field: string, message: string): EntryProblem => ({ field, message });

export type PassiveHealthCheck = {
  Interval?: number;
  EnforcingConsecutive5xx?: number;
  EnforcingConsecutiveGatewayFailure?: number;
  Consecutive5xx?: number;
  ConsecutiveGatewayFailure?: number;
  MaxEjectionPercent?: number;
  BaseEjectionTime?: number;
};

export type UpstreamLimits = { MaxConnections?: number; MaxPendingRequests?: number; MaxConcurrentRequests?: number; PassiveHealthCheck?: PassiveHealthCheck };

const PERCENT = 'must be a percentage between 0 and 100';

/** PassiveHealthCheck.Validate: the first failing bound, in Consul's order. Durations are nanoseconds here. */
export function passiveHealthCheckProblem(c: PassiveHealthCheck, at: string): EntryProblem | undefined {
  if ((c.Interval ?? 0) < 0) return leaf(`${at}.Interval`, 'passive health check interval cannot be negative');
  if (c.EnforcingConsecutive5xx !== undefined && c.EnforcingConsecutive5xx > 100)
    return leaf(`${at}.EnforcingConsecutive5xx`, `passive health check enforcing_consecutive_5xx ${PERCENT}`);
  if (c.EnforcingConsecutiveGatewayFailure !== undefined && c.EnforcingConsecutiveGatewayFailure > 100)
    return leaf(`${at}.EnforcingConsecutiveGatewayFailure`, `passive health check enforcing_consecutive_gateway_failure ${PERCENT}`);
  // *uint32 set to 0: "greater than 0" (a negative value never decodes into a uint32).
  if (c.Consecutive5xx !== undefined && c.Consecutive5xx < 1)
    return leaf(`${at}.Consecutive5xx`, 'passive health check consecutive_5xx must be greater than 0');
  if (c.ConsecutiveGatewayFailure !== undefined && c.ConsecutiveGatewayFailure < 1)
    return leaf(`${at}.ConsecutiveGatewayFailure`, 'passive health check consecutive_gateway_failure must be greater than 0');
  if (c.MaxEjectionPercent !== undefined && c.MaxEjectionPercent > 100)
    return leaf(`${at}.MaxEjectionPercent`, `passive health check max_ejection_percent ${PERCENT}`);
  if (c.BaseEjectionTime !== undefined && c.BaseEjectionTime < 0)
    return leaf(`${at}.BaseEjectionTime`, 'passive health check base_ejection_time cannot be negative');
  return undefined;
}

/** UpstreamLimits.Validate: the first negative limit, then its PassiveHealthCheck's first bound. */
export function upstreamLimitsProblem(l: UpstreamLimits, at: string): EntryProblem | undefined {
  if ((l.MaxConnections ?? 0) < 0) return leaf(`${at}.MaxConnections`, 'max connections cannot be negative');
  if ((l.MaxPendingRequests ?? 0) < 0) return leaf(`${at}.MaxPendingRequests`, 'max pending requests cannot be negative');
  if ((l.MaxConcurrentRequests ?? 0) < 0) return leaf(`${at}.MaxConcurrentRequests`, 'max concurrent requests cannot be negative');
  if (l.PassiveHealthCheck) return passiveHealthCheckProblem(l.PassiveHealthCheck, `${at}.PassiveHealthCheck`);
  return undefined;
}
